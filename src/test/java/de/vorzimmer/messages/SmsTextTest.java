package de.vorzimmer.messages;

import de.vorzimmer.notify.Backoff;
import de.vorzimmer.notify.Gsm7;
import de.vorzimmer.notify.OutboxFixture;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.PinHasher;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmsTextTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:05:00Z");
    private static final Book BOOK = load();

    private static Book load() {
        try {
            return BookLoader.load(OutboxFixture.BOOK, new PinHasher());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Client client(String id) {
        return BOOK.clients().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static Message message(String name, String text, boolean callback) {
        return Message.received(T0, "mueller", null, "+49309876543", name, MessageKind.TYPED, text, null, true, null,
                callback, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "äöüÄÖÜß éÉ ñÑ àÇ Øø Åå Ææ £ $ ¥ § ¿ ¡ @|true|1",
            "Preis 10€ [netto] {x}|true|2",
            "á|false|-1",
            "ç|false|-1",
            "„Anführung“|false|-1",
            "…|false|-1",
    })
    void gsm7TableAndExtensionCostsAreCounted(String text, boolean gsm, int extraSeptetsPerSpecial) {
        assertThat(Gsm7.isGsm7(text)).isEqualTo(gsm);
        if (!gsm) assertThat(Gsm7.septetLength(text)).isEqualTo(-1);
    }

    @Test
    void segmentLimitsDifferForGsm7AndUcs2() {
        assertThat(Gsm7.septetLength("€")).isEqualTo(2);
        assertThat(Gsm7.segments("ß".repeat(160))).isEqualTo(1);
        assertThat(Gsm7.segments("ß".repeat(161))).isEqualTo(2);
        assertThat(Gsm7.segments("€".repeat(80))).isEqualTo(1);
        assertThat(Gsm7.segments("€".repeat(81))).isEqualTo(2);
        assertThat(Gsm7.segments("ł".repeat(70))).isEqualTo(1);
        assertThat(Gsm7.segments("ł".repeat(71))).isEqualTo(2);
        assertThat(Gsm7.segments("ł".repeat(135))).isEqualTo(3);
    }

    @Test
    void germanUrgentSmsNamesCallerClientLocalTimeTextAndCallback() {
        String sms = SmsText.urgent(client("mueller"), message("Labor Schmidt", "Befund ist da", true));
        assertThat(sms).isEqualTo("DRINGEND Müller: Labor Schmidt, 30.11. 09:05. Befund ist da Rückruf: +49309876543");
        assertThat(Gsm7.isGsm7(sms)).isTrue();
    }

    @Test
    void englishUrgentSmsUsesTheClientsTimezone() {
        Client smith = client("smith");
        String sms = SmsText.urgent(smith, message(null, "Call me", false));
        assertThat(sms).isEqualTo("URGENT Smith: +49309876543, 30 Nov 08:05. Call me Tel. +49309876543");
    }

    @Test
    void longTextIsCutAtAWordToFitOneGsm7Segment() {
        String text = "Der Patient hat seit gestern starke Zahnschmerzen im Unterkiefer links und möchte heute noch "
                + "einen Termin bekommen, am liebsten am Nachmittag nach der Arbeit, weil er vormittags nicht kann.";
        String sms = SmsText.urgent(client("mueller"), message("Herr Groß", text, true));
        assertThat(Gsm7.isGsm7(sms)).isTrue();
        assertThat(Gsm7.septetLength(sms)).isLessThanOrEqualTo(160).isGreaterThan(140);
        assertThat(sms).contains("... Rückruf: +49309876543").startsWith("DRINGEND Müller: Herr Groß, 30.11. 09:05. Der Patient");
        assertThat(sms).doesNotContain("Arbeit");
    }

    @Test
    void typographicCharactersAndForeignAccentsDoNotForceUcs2() {
        String sms = SmsText.urgent(client("mueller"), message("José Álvarez", "„Bitte“ – rückrufen…", true));
        assertThat(Gsm7.isGsm7(sms)).isTrue();
        assertThat(sms).contains("José Alvarez").contains("\"Bitte\" - rückrufen...");
    }

    @Test
    void aCharacterOutsideGsm7CutsToSeventyUnits() {
        String sms = SmsText.urgent(client("mueller"), message("Łukasz", "x ".repeat(100), true));
        assertThat(Gsm7.isGsm7(sms)).isFalse();
        assertThat(sms.length()).isLessThanOrEqualTo(70);
        assertThat(sms).startsWith("DRINGEND Müller: Łukasz").endsWith("Rückruf: +49309876543");
    }

    @Test
    void digestListsWhatFitsAndCountsTheRest() {
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ms.add(Message.received(T0.plus(Duration.ofMinutes(7 * i)), "mueller", null, "+4930" + i, "Anrufer " + i,
                    MessageKind.TYPED, "Terminfrage Nummer " + i, null, false, null));
        }
        String sms = SmsText.digest(client("mueller"), ZonedDateTime.parse("2026-11-30T18:00:00+01:00[Europe/Berlin]"), ms);
        assertThat(Gsm7.fitsOneSegment(sms)).isTrue();
        assertThat(sms).startsWith("Vorzimmer Müller 30.11.: 12 Nachrichten. 09:05 Anrufer 0: Terminfrage Nummer 0;")
                .matches(".* \\+\\d+ weitere$");
    }

    @Test
    void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(b.delay(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(1, () -> 0.9999)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delay(10, () -> 0.0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(b.delay(10, () -> 0.9999)).isBetween(Duration.ofMillis(29_990), Duration.ofSeconds(30));
    }

    @Test
    void theDigestCountsUrgentMessagesStillUnconfirmed() {
        Message m = Message.received(T0, "mueller", null, "+4930111", "Anrufer", MessageKind.TYPED, "Terminfrage", null,
                false, null);
        assertThat(SmsText.digest(client("mueller"), T0.atZone(client("mueller").timezone()), List.of(m), 2))
                .startsWith("Vorzimmer Müller 30.11.: 1 Nachricht, 2 dringend unbestätigt. ");
        assertThat(SmsText.digest(client("mueller"), T0.atZone(client("mueller").timezone()), List.of(m), 0))
                .startsWith("Vorzimmer Müller 30.11.: 1 Nachricht. ");
    }
}
