package de.vorzimmer.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinHasherTest {
    private final PinHasher hasher = PinHasher.fast();

    @Test
    void rightPinVerifies() {
        String hash = hasher.hash("4711");
        assertThat(hasher.verify("4711", hash)).isTrue();
    }

    @Test
    void wrongPinDoesNotVerify() {
        String hash = hasher.hash("4711");
        assertThat(hasher.verify("4712", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
        assertThat(hasher.verify(null, hash)).isFalse();
    }

    @Test
    void hashRecordsSchemeIterationsSaltAndHash() {
        String hash = hasher.hash("4711");
        String[] parts = hash.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[1]).isEqualTo("1000");
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
        assertThat(hash).doesNotContain("4711");
    }

    @Test
    void samePinHashesDifferentlyEachTime() {
        assertThat(hasher.hash("4711")).isNotEqualTo(hasher.hash("4711"));
    }

    @Test
    void hashOfOneIterationCountVerifiesWithAnother() {
        String slow = new PinHasher(5_000).hash("123456");
        assertThat(hasher.verify("123456", slow)).isTrue();
        assertThat(new PinHasher().verify("123456", hasher.hash("123456"))).isTrue();
    }

    @Test
    void tamperedHashDoesNotVerify() {
        String hash = hasher.hash("4711");
        String[] parts = hash.split("\\$");
        byte[] digest = Base64.getDecoder().decode(parts[3]);
        digest[0] ^= 1;
        String flipped = parts[0] + "$" + parts[1] + "$" + parts[2] + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(digest);
        String otherSalt = parts[0] + "$" + parts[1] + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(new byte[16]) + "$" + parts[3];
        String otherCount = parts[0] + "$1001$" + parts[2] + "$" + parts[3];

        assertThat(hasher.verify("4711", flipped)).isFalse();
        assertThat(hasher.verify("4711", otherSalt)).isFalse();
        assertThat(hasher.verify("4711", otherCount)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4711", "pbkdf2-sha256$1000$abc", "md5$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
            "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$99999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$1000$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedHashIsNoHashAndVerifiesNothing(String text) {
        assertThat(PinHasher.isHash(text)).isFalse();
        assertThat(hasher.verify("4711", text)).isFalse();
    }

    @Test
    void producedHashIsRecognised() {
        assertThat(PinHasher.isHash(hasher.hash("0000"))).isTrue();
        assertThat(PinHasher.isHash(null)).isFalse();
    }

    @Test
    void iterationsOutOfRangeForbidden() {
        assertThrows(IllegalArgumentException.class, () -> new PinHasher(0));
        assertThrows(IllegalArgumentException.class, () -> new PinHasher(PinHasher.MAX_ITERATIONS + 1));
    }

    @Test
    void toStringNamesNoSecret() {
        assertThat(hasher.toString()).isEqualTo("PinHasher[pbkdf2-sha256, 1000 iterations]");
    }
}
