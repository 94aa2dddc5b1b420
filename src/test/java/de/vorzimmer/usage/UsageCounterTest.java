package de.vorzimmer.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The usage report against a set of calls counted by hand: the demo book's Dr. Müller (Berlin) and Jane Smith
 * (London), December 2026, secretary time in 30 s steps.
 */
class UsageCounterTest {
    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String CALLER = "+49305550000";

    @TempDir
    Path dir;
    Stores store;
    CallTimes times;
    Book book;

    @BeforeEach
    void open() throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast());
        times = new CallTimes(store.database());
        try (InputStream in = getClass().getResourceAsStream("/demo/book.yaml")) {
            book = BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), PinHasher.fast());
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @ParameterizedTest(name = "{0} ms at a {1} s step -> {2} s")
    @CsvSource({"0, 30, 30", "1, 30, 30", "29000, 30, 30", "30000, 30, 30", "30001, 30, 60", "31000, 30, 60",
            "60000, 30, 60", "61000, 30, 90", "61000, 60, 120", "59000, 1, 59", "59001, 1, 60"})
    void secretaryTimeIsRoundedUpToWholeStepsAndAtLeastOne(long talkedMs, long stepSeconds, long billed) {
        assertThat(UsageCounter.billedSeconds(Duration.ofMillis(talkedMs), Duration.ofSeconds(stepSeconds)))
                .isEqualTo(billed);
    }

    @Test
    void aStepThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UsageCounter.billedSeconds(Duration.ofSeconds(5), Duration.ZERO));
    }

    @Test
    void aMonthIsCountedAsByHand() {
        Instant t = Instant.parse("2026-12-07T09:00:00Z"); // a Monday, 10:00 in Berlin
        // three calls a secretary answered: 29 s, 30 s and 31 s -> 30 + 30 + 60 s
        call("c1", "mueller", t, "screen");
        call("c1", "mueller", t, "screen"); // the same call logged twice counts once
        secretary("c1", "mueller", t.plusSeconds(5), Duration.ofSeconds(29));
        call("c2", "mueller", t.plusSeconds(600), "screen");
        secretary("c2", "mueller", t.plusSeconds(605), Duration.ofSeconds(30));
        call("c3", "mueller", t.plusSeconds(1200), "screen");
        secretary("c3", "mueller", t.plusSeconds(1205), Duration.ofSeconds(31));
        // routed put-through, answered by the client: a put-through, no secretary time
        call("c4", "mueller", t.plusSeconds(1800), "put-through");
        times.answered("c4", "mueller", "put-through", "Local/+491701111111@vorzimmer-reach", t.plusSeconds(1810));
        times.ended("c4", t.plusSeconds(1900));
        // a call still being talked on (no end yet): counted as a call, not yet as secretary time
        call("c5", "mueller", t.plusSeconds(2400), "screen");
        times.answered("c5", "mueller", "screen", "PJSIP/anna", t.plusSeconds(2405));
        // put through from the console (carried out) counts; a choice only recorded does not
        new CallChoiceStore(store.database()).add("c2", "put-through", "anna", t.plusSeconds(620), true);
        new CallChoiceStore(store.database()).add("c1", "put-through", "anna", t.plusSeconds(20), false);
        // 00:30 on 1 December in Berlin is still 30 November in UTC: December's
        call("c6", "mueller", Instant.parse("2026-11-30T23:30:00Z"), "message");
        // 00:30 on 1 January in Berlin is 31 December in UTC: January's
        call("c7", "mueller", Instant.parse("2026-12-31T23:30:00Z"), "screen");
        // a dry run of the routing API that an older release logged: never counted
        store.calls().append(new CallLogEntry(0, t, "api-1", UsageCounter.DRY_RUN_CHANNEL, "mueller", "+49301234567",
                CALLER, "unknown", "available", "screen", false, "{}"));
        // 23:30 on 31 December in London: December's for Jane Smith; 61 s -> 90 s
        call("s1", "smith", Instant.parse("2026-12-31T23:30:00Z"), "screen");
        secretary("s1", "smith", Instant.parse("2026-12-31T23:30:10Z"), Duration.ofSeconds(61));
        // messages: two in December, one in November; an urgent SMS sent, one failed, a digest
        message("mueller", t, true);
        long failed = message("mueller", t.plusSeconds(60), true);
        message("mueller", Instant.parse("2026-11-20T10:00:00Z"), false);
        message("smith", t, false);
        Instant later = Instant.parse("2027-01-02T00:00:00Z");
        for (var n : store.outbox().claimDue(later, later, Instant.EPOCH, 100, new java.util.ArrayList<>())) {
            if (n.key().equals("urgent:" + failed)) assertThat(store.outbox().markFailed(n.id(), "gave up")).isTrue();
            else store.outbox().markSent(n.id(), "SM" + n.id(), later);
        }

        UsageReport r = new UsageCounter(store.database()).month(DECEMBER, null, STEP, book);

        assertThat(r.clients()).extracting(ClientUsage::client)
                .containsExactly("elektro-wagner", "smith", "kanzlei-berg", "mueller"); // by name
        ClientUsage mueller = line(r, "mueller");
        assertThat(mueller).isEqualTo(new ClientUsage("mueller", "Zahnarztpraxis Dr. Müller", 6, 3, 120, 2, 2, 1));
        assertThat(line(r, "smith")).isEqualTo(new ClientUsage("smith", "Jane Smith Translations", 1, 1, 90, 0, 1, 0));
        assertThat(line(r, "kanzlei-berg")).isEqualTo(new ClientUsage("kanzlei-berg",
                "Rechtsanwaltskanzlei Berg & Partner", 0, 0, 0, 0, 0, 0));
        assertThat(r.days()).hasSize(31);
        assertThat(r.days().get(0)).isEqualTo(new UsageReport.Day(1, 1, 0));    // c6
        assertThat(r.days().get(6)).isEqualTo(new UsageReport.Day(7, 5, 120));  // c1..c5
        assertThat(r.days().get(30)).isEqualTo(new UsageReport.Day(31, 1, 90)); // s1

        UsageReport one = new UsageCounter(store.database()).month(DECEMBER, "smith", STEP, book);
        assertThat(one.clients()).containsExactly(line(r, "smith"));
        assertThat(one.days().get(6).calls()).isZero();

        assertThat(UsageCsv.write(one)).isEqualTo(UsageCsv.HEADER + "\r\n"
                + "2026-12,smith,Jane Smith Translations,1,1,90,1.5,30,0,1,0\r\n");
    }

    @Test
    void callsToNoKnownLineAreALineOfTheirOwn() {
        call("u1", null, Instant.parse("2026-12-02T10:00:00Z"), "screen");
        UsageReport r = new UsageCounter(store.database()).month(DECEMBER, null, STEP, book);
        assertThat(r.clients()).last().isEqualTo(new ClientUsage("", "", 1, 0, 0, 0, 0, 0));
    }

    @Test
    void csvQuotesNamesAndDefusesFormulas() {
        assertThat(UsageCsv.field("Berg & Partner, Hamburg")).isEqualTo("\"Berg & Partner, Hamburg\"");
        assertThat(UsageCsv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(UsageCsv.minutes(90)).isEqualTo("1.5");
        assertThat(UsageCsv.minutes(0)).isEqualTo("0");
        assertThat(UsageCsv.minutes(600)).isEqualTo("10");
    }

    @Test
    void answerAndEndAreStoredOnceEach() {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(times.answered("x", "mueller", "screen", "PJSIP/anna", t)).isTrue();
        assertThat(times.answered("x", "mueller", "screen", "PJSIP/ben", t.plusSeconds(1))).isFalse();
        assertThat(times.ended("x", t.plusSeconds(40))).isTrue();
        assertThat(times.ended("x", t.plusSeconds(50))).isFalse();
        assertThat(times.ended("never-answered", t)).isFalse();
        assertThat(times.answeredBetween(t, t.plusSeconds(1))).containsExactly(new CallTimes.Answered("x", "mueller",
                "screen", "PJSIP/anna", t, t.plusSeconds(40)));
    }

    private static ClientUsage line(UsageReport r, String client) {
        return r.clients().stream().filter(u -> u.client().equals(client)).findFirst().orElseThrow();
    }

    private void call(String callId, String client, Instant at, String action) {
        store.calls().append(new CallLogEntry(0, at, callId, "asterisk", client, "+49301234567", CALLER, "unknown",
                "available", action, false, "{}"));
    }

    private void secretary(String callId, String client, Instant answered, Duration talked) {
        times.answered(callId, client, "screen", "PJSIP/anna", answered);
        times.ended(callId, answered.plus(talked));
    }

    private long message(String client, Instant at, boolean urgent) {
        return store.messages().add(Message.received(at, client, "+49301234567", CALLER, null, MessageKind.TYPED,
                "Bitte zurückrufen", null, urgent, null), id -> urgent
                ? List.of(new NewNotification("urgent:" + id, NotificationKind.URGENT, client, "+491701111111",
                "Dringend", at, at.plus(Duration.ofHours(1))))
                : List.of(new NewNotification("digest:" + client + ":" + id, NotificationKind.DIGEST, client,
                "+491701111111", "Digest", at, at.plus(Duration.ofHours(1)))));
    }
}
