package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.testing.LogCapture;
import org.awaitility.Awaitility;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.status.Override;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.store.Durability;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.console.SessionStore;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The housekeeping job on a real SQLite file: what has aged out goes, what is still needed stays. */
class HousekeepingTest {
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Housekeeping.Periods DEFAULTS = Housekeeping.Periods.from(Config.defaults());

    @TempDir
    Path dir;
    Stores store;
    @RegisterExtension
    final LogCapture log = new LogCapture(Housekeeping.class);

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A job whose time budget is {@code budgetBatches} full batches: its clock moves one millisecond per read. */
    Housekeeping job(Housekeeping.Periods periods, int batch, int budgetBatches) {
        return new Housekeeping(new Housekeeping.Tables(store.database(), store.books(), store.overrides(), store.calls(),
                new CallChoiceStore(store.database()), store.outbox(), new SessionStore(store.database()),
                new PhoneInStore(store.database())), periods, CLOCK, batch, Duration.ofMillis(budgetBatches), Duration.ZERO,
                ticking());
    }

    /** A clock for the budget that moves one millisecond each time it is read. */
    static java.util.function.LongSupplier ticking() {
        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong();
        return () -> java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis.incrementAndGet());
    }

    static long ago(Duration d) {
        return NOW.minus(d).toEpochMilli();
    }

    static Duration days(long n) {
        return Duration.ofDays(n);
    }

    static Duration hours(long n) {
        return Duration.ofHours(n);
    }

    void sql(String statement, Object... params) {
        store.database().write(c -> {
            try (PreparedStatement p = c.prepareStatement(statement)) {
                for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
                return p.executeUpdate();
            }
        });
    }

    List<String> column(String query) {
        return store.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        });
    }

    void callLog(String callId, long at) {
        sql("INSERT INTO call_log (at, call_id, channel, action, urgent, decision_json) VALUES (?, ?, 'api', 'screen', FALSE, '{}')",
                at, callId);
    }

    void twilioCall(String sid, long created, long updated, String outcome) {
        sql("INSERT INTO twilio_calls (call_sid, created_at, action, urgent, language, screen_targets, accepted, outcome, "
                + "updated_at) VALUES (?, ?, 'screen', FALSE, 'de', '', FALSE, ?, ?)", sid, created, outcome, updated);
    }

    void phoneInSession(String sid, long created, long updated) {
        sql("INSERT INTO phonein_sessions (call_sid, state_json, created_at, updated_at) VALUES (?, '{}', ?, ?)",
                sid, created, updated);
    }

    long message(String text) {
        sql("INSERT INTO messages (created_at, client_id, kind, text, urgent, state, state_changed_at) "
                + "VALUES (?, 'mueller', 'typed', ?, TRUE, 'notified', ?)", ago(days(200)), text, ago(days(200)));
        return Long.parseLong(column("SELECT MAX(id) FROM messages").get(0));
    }

    void outbox(String key, String state, long created, long messageId) {
        sql("INSERT INTO outbox (dedupe_key, kind, to_number, body, state, created_at, next_attempt_at, give_up_at, "
                + "attempts) VALUES (?, 'urgent', '+491701111111', 'x', ?, ?, ?, ?, 1)", key, state, created, created, created);
        sql("INSERT INTO outbox_messages (outbox_id, message_id) SELECT id, ? FROM outbox WHERE dedupe_key = ?",
                messageId, key);
    }

    void override(String note, String client, String kind, long setAt, Long until) {
        sql("INSERT INTO overrides (client_id, kind, number, set_at, until_at, note, source) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'console')", client, kind, kind.equals("expect") ? "+49309876543" : null,
                setAt, until, note);
    }

    void bookVersion(String source, long loadedAt) {
        sql("INSERT INTO book_versions (loaded_at, source, yaml) VALUES (?, ?, 'clients: []')", loadedAt, source);
    }

    @Test
    void theBookInForceStaysHoweverOld() {
        bookVersion("replaced", ago(days(400)));
        bookVersion("in-force", ago(days(300)));

        Housekeeping.Report report = job(DEFAULTS, 500, 200).runOnce();

        assertThat(report.deleted()).containsExactly(Map.entry("replaced book versions", 1));
        assertThat(column("SELECT source FROM book_versions")).containsExactly("in-force");
        assertThat(job(DEFAULTS, 500, 200).runOnce().deleted()).isEmpty();
    }

    List<String> overridesNow() {
        return store.overrides().activeOrFutureAt(NOW).stream().map(Override::note).toList();
    }

    @Test
    void rowsOlderThanTheirPeriodGoNewerOnesAndMessagesStay() {
        callLog("log-old", ago(days(91)));
        callLog("log-new", ago(days(89)));
        sql("INSERT INTO call_choices (call_id, choice, chosen_by, chosen_at, carried_out) VALUES "
                + "('choice-old', 'message', 'anna', ?, FALSE), ('choice-new', 'message', 'anna', ?, FALSE)",
                ago(days(91)), ago(days(1)));
        twilioCall("CA-old", ago(days(9)), ago(days(8)), "missed");
        twilioCall("CA-new", ago(days(9)), ago(days(6)), "recorded");
        phoneInSession("CA-phonein-old", ago(days(2)), ago(days(2)));
        phoneInSession("CA-phonein-new", ago(hours(2)), ago(hours(2)));
        sql("INSERT INTO console_sessions (id_hash, username, csrf_token, created_at, last_seen_at) VALUES "
                + "('idle', 'anna', 'x', ?, ?), ('too-old', 'anna', 'x', ?, ?), ('live', 'anna', 'x', ?, ?)",
                ago(hours(9)), ago(hours(9)), ago(hours(25)), ago(hours(1)), ago(hours(2)), ago(hours(1)));
        long m1 = message("urgent one");
        long m2 = message("urgent two");
        outbox("sent-old", "sent", ago(days(91)), m1);
        outbox("failed-old", "failed", ago(days(91)), m2);
        outbox("sent-new", "sent", ago(days(89)), m1);
        outbox("pending-old", "pending", ago(days(91)), m2);
        outbox("sending-old", "sending", ago(days(91)), m2);
        override("ended-old", "mueller", "unavailable", ago(days(100)), ago(days(91)));
        override("ended-new", "mueller", "dnd", ago(days(100)), ago(days(89)));
        override("open-since-long", "schmidt", "available", ago(days(200)), null);
        bookVersion("book-oldest", ago(days(120)));
        bookVersion("book-old", ago(days(91)));
        bookVersion("book-recent", ago(days(89)));
        bookVersion("book-in-force", ago(days(10)));

        Housekeeping.Report report = job(DEFAULTS, 500, 200).runOnce();

        assertThat(column("SELECT call_id FROM call_log")).containsExactly("log-new");
        assertThat(column("SELECT call_id FROM call_choices")).containsExactly("choice-new");
        assertThat(column("SELECT call_sid FROM twilio_calls")).containsExactly("CA-new");
        assertThat(column("SELECT call_sid FROM phonein_sessions")).containsExactly("CA-phonein-new");
        assertThat(column("SELECT id_hash FROM console_sessions")).containsExactly("live");
        assertThat(column("SELECT dedupe_key FROM outbox ORDER BY id")).containsExactly("sent-new", "pending-old", "sending-old");
        assertThat(column("SELECT COUNT(*) FROM outbox_messages")).containsExactly("3");
        assertThat(column("SELECT text FROM messages ORDER BY id")).containsExactly("urgent one", "urgent two");
        assertThat(column("SELECT note FROM overrides ORDER BY id")).containsExactly("ended-new", "open-since-long");
        assertThat(column("SELECT source FROM book_versions ORDER BY id")).containsExactly("book-recent", "book-in-force");
        assertThat(report.failed()).isEmpty();
        assertThat(report.deleted()).containsExactly(Map.entry("expired console sessions", 2),
                Map.entry("twilio call rows", 1), Map.entry("phone-in sessions", 1), Map.entry("call log rows", 1),
                Map.entry("call choices", 1), Map.entry("overrides", 1), Map.entry("sent or failed SMS notifications", 2),
                Map.entry("replaced book versions", 2));
        assertThat(log.list).hasSize(1);
        assertThat(log.list.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(log.list.get(0).getFormattedMessage()).startsWith("housekeeping: deleted 2 expired console sessions, "
                + "1 twilio call rows, 1 phone-in sessions, 1 call log rows, 1 call choices, 1 overrides, "
                + "2 sent or failed SMS notifications, 2 replaced book versions (");

        Housekeeping.Report again = job(DEFAULTS, 500, 200).runOnce();
        assertThat(again.deleted()).isEmpty();
        assertThat(log.list).as("a run that deletes nothing logs nothing").hasSize(1);
    }

    @Test
    void aCallStillInProgressKeepsItsRowsWhateverThePeriod() {
        Housekeeping.Periods oneHour = new Housekeeping.Periods(hours(1), hours(1), Duration.ofMinutes(1), days(90),
                days(90), days(90), days(90), days(90));
        twilioCall("CA-running", ago(hours(3)), ago(hours(2)), "answered"); // a secretary answered; still talking
        twilioCall("CA-quiet", ago(hours(3)), ago(hours(3)), null);
        twilioCall("CA-over", ago(hours(25)), ago(hours(2)), "answered");
        phoneInSession("CA-phonein-running", ago(hours(3)), ago(hours(2)));
        phoneInSession("CA-phonein-over", ago(hours(25)), ago(hours(2)));

        job(oneHour, 500, 200).runOnce();

        assertThat(column("SELECT call_sid FROM twilio_calls ORDER BY call_sid")).containsExactly("CA-quiet", "CA-running");
        assertThat(column("SELECT call_sid FROM phonein_sessions")).containsExactly("CA-phonein-running");
    }

    @Test
    void pinRecordsTheLockoutStillSeesStay() {
        Housekeeping.Periods oneMinute = new Housekeeping.Periods(days(7), days(1), Duration.ofMinutes(1), days(90),
                days(90), days(90), days(90), days(90));
        PhoneInStore pins = new PhoneInStore(store.database());
        for (int i = 0; i < 4; i++) pins.recordAttempt("mueller", false, NOW.minus(Duration.ofMinutes(50 - i)), "twilio", "CA1", null);
        pins.recordAttempt("mueller", false, NOW.minus(hours(2)), "twilio", "CA0", null);
        pins.lock("mueller", NOW.minus(Duration.ofMinutes(30)), NOW.plus(Duration.ofMinutes(30)), 5, "twilio", "CA1", null);
        pins.lock("mueller", NOW.minus(hours(3)), NOW.minus(hours(2)), 5, "twilio", "CA0", null);
        var before = pins.pinState("mueller", NOW);

        Housekeeping.Report report = job(oneMinute, 500, 200).runOnce();

        assertThat(report.deleted()).containsEntry("phone-in PIN records", 2);
        assertThat(column("SELECT COUNT(*) FROM phonein_pin_attempts")).containsExactly("4");
        assertThat(column("SELECT locked_until FROM phonein_lockouts"))
                .containsExactly(String.valueOf(NOW.plus(Duration.ofMinutes(30)).toEpochMilli()));
        assertThat(pins.pinState("mueller", NOW)).isEqualTo(before);
    }

    @Test
    void overridesGoInAnOrderThatNeverBringsAReplacedOneBackToLife() {
        // "open" (no end) was replaced by "short", which ended long ago: mueller follows the office hours now.
        // Were "short" deleted before "open", dnd would be back.
        override("open", "mueller", "dnd", ago(days(120)), null);
        override("short", "mueller", "unavailable", ago(days(100)), ago(days(95)));
        override("current", "schmidt", "available", ago(days(10)), null);
        override("expect-open", "mueller", "expect", ago(days(120)), null);
        override("old-ended", "mueller", "dnd", ago(days(130)), ago(days(129)));
        List<String> now = overridesNow();
        assertThat(now).containsExactly("expect-open", "current");

        Housekeeping job = job(DEFAULTS, 1, 1); // one row per run (one batch's budget): every step in between is seen
        int runs = 0;
        while (job.runOnce().deleted().containsKey("overrides")) {
            runs++;
            assertThat(overridesNow()).as("after run %d", runs).isEqualTo(now);
        }
        assertThat(runs).isEqualTo(3);
        assertThat(column("SELECT note FROM overrides ORDER BY id")).containsExactly("current", "expect-open");
    }

    @Test
    void aRunEndsWhenItsTimeBudgetIsSpentAndWhatIsLeftWaitsForTheNextRun() {
        store.database().write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO call_log (at, call_id, channel, action, urgent, "
                    + "decision_json) VALUES (?, ?, 'api', 'screen', FALSE, '{}')")) {
                for (int i = 0; i < 1205; i++) {
                    p.setLong(1, ago(days(100)) + i);
                    p.setString(2, "call-" + i);
                    p.addBatch();
                }
                return p.executeBatch().length;
            }
        });
        callLog("recent", ago(days(1)));

        Housekeeping limited = job(DEFAULTS, 100, 5); // five full batches' worth of time
        assertThat(limited.runOnce().deleted()).containsExactly(Map.entry("call log rows", 500));
        assertThat(limited.runOnce().deleted()).containsExactly(Map.entry("call log rows", 500));
        assertThat(limited.runOnce().deleted()).containsExactly(Map.entry("call log rows", 205));
        assertThat(limited.runOnce().deleted()).isEmpty();
        assertThat(column("SELECT call_id FROM call_log")).containsExactly("recent");
    }

    @Test
    void aRunKeepsDeletingWhileBatchesComeBackFullTakingTurnsBetweenTables() {
        store.database().write(c -> {
            try (PreparedStatement log = c.prepareStatement("INSERT INTO call_log (at, call_id, channel, action, urgent, "
                    + "decision_json) VALUES (?, ?, 'api', 'screen', FALSE, '{}')");
                 PreparedStatement choice = c.prepareStatement("INSERT INTO call_choices (call_id, choice, chosen_by, "
                         + "chosen_at, carried_out) VALUES (?, 'message', 'anna', ?, FALSE)")) {
                for (int i = 0; i < 3_050; i++) {
                    log.setLong(1, ago(days(100)) + i);
                    log.setString(2, "call-" + i);
                    log.addBatch();
                }
                for (int i = 0; i < 730; i++) {
                    choice.setString(1, "choice-" + i);
                    choice.setLong(2, ago(days(100)) + i);
                    choice.addBatch();
                }
                log.executeBatch();
                return choice.executeBatch().length;
            }
        });
        // a budget of 1,000 batches: far more than needed, so one run empties both (31 + 8 batches of 100)
        Housekeeping.Report report = job(DEFAULTS, 100, 1_000).runOnce();
        assertThat(report.deleted()).containsExactly(Map.entry("call log rows", 3_050), Map.entry("call choices", 730));
        assertThat(column("SELECT COUNT(*) FROM call_log")).containsExactly("0");
        assertThat(log.list.get(log.list.size() - 1).getFormattedMessage()).doesNotContain("budget");

        // with a budget of 20 batches the tables take turns: both move, the call log does not starve the choices
        store.database().write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO call_log (at, call_id, channel, action, urgent, "
                    + "decision_json) VALUES (?, ?, 'api', 'screen', FALSE, '{}')")) {
                for (int i = 0; i < 5_000; i++) {
                    p.setLong(1, ago(days(100)) + i);
                    p.setString(2, "again-" + i);
                    p.addBatch();
                }
                return p.executeBatch().length;
            }
        });
        for (int i = 0; i < 500; i++) sql("INSERT INTO call_choices (call_id, choice, chosen_by, chosen_at, carried_out) "
                + "VALUES (?, 'message', 'anna', ?, FALSE)", "again-" + i, ago(days(100)));
        Housekeeping.Report limited = job(DEFAULTS, 100, 20).runOnce();
        assertThat(limited.deleted().get("call choices")).isEqualTo(500);
        assertThat(limited.deleted().get("call log rows")).isBetween(1_000, 2_500);
        assertThat(log.list.get(log.list.size() - 1).getFormattedMessage())
                .endsWith("time budget of 0 min spent, the rest waits for the next run");
    }

    @Test
    void aFailingTableIsLoggedAndSkippedAndTheTimerKeepsRunning() throws Exception {
        callLog("log-old", ago(days(91)));
        sql("INSERT INTO call_choices (call_id, choice, chosen_by, chosen_at, carried_out) VALUES ('choice-old', "
                + "'message', 'anna', ?, FALSE)", ago(days(91)));
        // a trigger refuses every delete from the call log, in each database's own dialect
        if (de.vorzimmer.store.TestDb.postgres()) {
            sql("CREATE FUNCTION call_log_on_hold() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'call log on hold'; END $$ "
                    + "LANGUAGE plpgsql");
            sql("CREATE TRIGGER call_log_on_hold BEFORE DELETE ON call_log FOR EACH ROW EXECUTE FUNCTION call_log_on_hold()");
        } else {
            sql("CREATE TRIGGER call_log_on_hold BEFORE DELETE ON call_log BEGIN SELECT RAISE(ABORT, 'call log on hold'); END");
        }
        Vertx vertx = Vertx.vertx();
        Housekeeping job = job(DEFAULTS, 500, 200);
        try {
            job.start(vertx, Duration.ofMillis(20));
            Housekeeping.Report failed = awaitReport(job, r -> !r.failed().isEmpty());
            assertThat(failed.failed()).containsOnlyKeys("call log rows");
            assertThat(failed.failed().get("call log rows")).contains("call log on hold");
            assertThat(column("SELECT COUNT(*) FROM call_choices")).containsExactly("0");
            assertThat(column("SELECT call_id FROM call_log")).containsExactly("log-old");
            assertThat(List.copyOf(log.list)).anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().startsWith("housekeeping: deleting call log rows failed after 0 rows"));

            // later runs go on: once the table can be written again, the next one catches up
            sql(de.vorzimmer.store.TestDb.postgres() ? "DROP TRIGGER call_log_on_hold ON call_log" : "DROP TRIGGER call_log_on_hold");
            // (the run that deleted may be overwritten by an empty one within 20 ms: the table and the log tell)
            Awaitility.await("the old call log row deleted by a later run").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10)).until(() -> column("SELECT COUNT(*) FROM call_log"),
                            rows -> rows.equals(List.of("0")));
            assertThat(awaitReport(job, r -> r.failed().isEmpty()).failed()).isEmpty();
            assertThat(List.copyOf(log.list)).anyMatch(e -> e.getFormattedMessage().startsWith("housekeeping: deleted")
                    && e.getFormattedMessage().contains("call log rows"));
        } finally {
            job.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** The first report of a periodic run that matches; fails after 30 s without one. */
    static Housekeeping.Report awaitReport(Housekeeping job, java.util.function.Predicate<Housekeeping.Report> wanted) {
        return Awaitility.await("a housekeeping run as wanted").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10)).until(job::lastReport, r -> r != null && wanted.test(r));
    }

    @Test
    void runNowBeforeStartFailsClearly() {
        Throwable e = job(DEFAULTS, 500, 200).runNow().cause();
        assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("housekeeping not started");
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> job(DEFAULTS, 0, 1)).getMessage())
                .isEqualTo("batch 0 < 1");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Housekeeping.Periods(days(7), Duration.ZERO,
                days(1), days(1), days(1), days(1), days(1), days(1))).getMessage()).isEqualTo("retention period PT0S is not positive");
    }
}
