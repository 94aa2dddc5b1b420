package de.vorzimmer.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PIN hashes keyed with the server's key: an export or a copied database alone does not let anyone test PINs. */
class PinPepperTest {
    private final SecureRandom random = new SecureRandom();
    /** One PBKDF2 iteration: the offline guess below tries all 10,000 four-digit PINs quickly. */
    private final PinHasher plain = new PinHasher(1);
    private final PinPepper pepper = PinPepper.random(random);
    private final PinHasher keyed = plain.withPepper(pepper);

    @TempDir
    Path dir;

    private static String guess(PinHasher attacker, String hash) {
        return IntStream.range(0, 10_000).mapToObj(i -> String.format("%04d", i))
                .filter(pin -> attacker.verify(pin, hash)).findFirst().orElse(null);
    }

    @Test
    void anUnkeyedFourDigitPinFallsToAnOfflineGuessAKeyedOneDoesNot() {
        assertThat(guess(plain, plain.hash("4711"))).isEqualTo("4711");
        String hash = keyed.hash("4711");
        assertThat(guess(plain, hash)).isNull();
        assertThat(guess(new PinHasher(1).withPepper(PinPepper.random(random)), hash)).as("with a key of one's own").isNull();
        assertThat(keyed.verify("4711", hash)).isTrue();
        assertThat(keyed.verify("4712", hash)).isFalse();
    }

    @Test
    void aKeyedHashNamesItsKeyButNotTheKey() {
        String hash = keyed.hash("4711");
        assertThat(hash).startsWith("pbkdf2-sha256-pepper." + pepper.id() + "$1$");
        assertThat(PinHasher.isHash(hash)).isTrue();
        assertThat(PinHasher.isKeyed(hash)).isTrue();
        assertThat(keyed.keyedElsewhere(hash)).isFalse();
        assertThat(plain.keyedElsewhere(hash)).isTrue();
        assertThat(pepper.toString()).isEqualTo("PinPepper[" + pepper.id() + "]");
    }

    @Test
    void unkeyedHashesKeepWorkingAndAreKeyedWithoutThePin() {
        String old = plain.hash("190283");
        assertThat(keyed.verify("190283", old)).as("an unkeyed hash still verifies").isTrue();
        String rekeyed = keyed.rekey(old);
        assertThat(PinHasher.isKeyed(rekeyed)).isTrue();
        assertThat(rekeyed.split("\\$")[2]).as("same salt").isEqualTo(old.split("\\$")[2]);
        assertThat(keyed.verify("190283", rekeyed)).isTrue();
        assertThat(keyed.verify("190284", rekeyed)).isFalse();
        assertThat(plain.verify("190283", rekeyed)).as("the re-keyed hash needs the key").isFalse();
        assertThat(keyed.rekey(rekeyed)).as("keyed hashes stay as they are").isEqualTo(rekeyed);
        assertThatThrownBy(() -> plain.rekey(old)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKeyFileIsMadeOnceOwnerOnlyAndReadBack() throws IOException {
        Path file = dir.resolve("state/pin-pepper.key");
        PinPepper made = PinPepper.loadOrCreate(file, random);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(PinPepper.MIN_BYTES);
        PinPepper again = PinPepper.loadOrCreate(file, random);
        assertThat(again.id()).isEqualTo(made.id());
        String hash = plain.withPepper(made).hash("4711");
        assertThat(plain.withPepper(PinPepper.load(file)).verify("4711", hash)).isTrue();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aKeyFileThatHoldsNoKeyIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("pin-pepper.key");
        Files.writeString(file, "not base64 !!\n");
        assertThatThrownBy(() -> PinPepper.load(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertThatThrownBy(() -> PinPepper.load(file)).isInstanceOf(IOException.class).hasMessageContaining("at least 32");
    }

    @Test
    void theDefaultKeyFileLiesBesideASqliteFile() {
        assertThat(PinPepper.defaultFileFor("/var/lib/vorzimmer/vorzimmer.db"))
                .isEqualTo(Path.of("/var/lib/vorzimmer/pin-pepper.key"));
        assertThat(PinPepper.defaultFileFor("jdbc:postgresql://db/vz")).isEqualTo(Path.of("pin-pepper.key"));
    }

    @Test
    void aBookIsKeyedAsAWholeAndItsPinsStillOpenThePhoneInLine() throws Exception {
        String yaml = new String(PinPepperTest.class.getResourceAsStream("/demo/book.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Book book = BookLoader.load(yaml, plain);
        Book rekeyed = PinKeys.rekey(book, keyed);
        assertThat(rekeyed.clients()).filteredOn(c -> c.pinHash() != null).isNotEmpty()
                .allSatisfy(c -> assertThat(PinHasher.isKeyed(c.pinHash())).isTrue());
        Client mueller = rekeyed.clients().stream().filter(c -> c.id().equals("mueller")).findFirst().orElseThrow();
        assertThat(keyed.verify("4711", mueller.pinHash())).isTrue();
        assertThat(BookWriter.write(rekeyed)).doesNotContain("pin-hash: \"pbkdf2-sha256$");
        assertThat(PinKeys.rekey(rekeyed, keyed)).isSameAs(rekeyed);
    }

    @Test
    void theWrittenBookTellsWithoutParsingWhetherEveryHashIsKeyedHere() throws Exception {
        String yaml = new String(PinPepperTest.class.getResourceAsStream("/demo/book.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Book book = BookLoader.load(yaml, plain);
        String unkeyed = BookWriter.write(book);
        String keyedHere = BookWriter.write(PinKeys.rekey(book, keyed));
        String keyedElsewhere = BookWriter.write(PinKeys.rekey(book, plain.withPepper(PinPepper.random(random))));

        assertThat(PinKeys.allKeyedHere(unkeyed, keyed)).isFalse();
        assertThat(PinKeys.allKeyedHere(keyedHere, keyed)).isTrue();
        assertThat(PinKeys.allKeyedHere(keyedElsewhere, keyed)).isFalse();
        // one unkeyed hash among keyed ones is found
        Client mueller = book.clients().stream().filter(c -> c.id().equals("mueller")).findFirst().orElseThrow();
        String oneLeft = keyedHere.replaceFirst("pbkdf2-sha256-pepper\\.[^\"\\s]+", mueller.pinHash().replace("$", "\\$"));
        assertThat(oneLeft).contains(mueller.pinHash());
        assertThat(PinKeys.allKeyedHere(oneLeft, keyed)).isFalse();
        assertThat(PinKeys.allKeyedHere("version: 1\nclients: []\n", keyed)).isTrue();
    }
}
