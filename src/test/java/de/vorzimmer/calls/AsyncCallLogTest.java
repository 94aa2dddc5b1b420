package de.vorzimmer.calls;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.routing.CallerInfo;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import de.vorzimmer.book.Status;
import de.vorzimmer.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call log as adapters use it: decisions handed over without waiting, written in batches. */
class AsyncCallLogTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path dir;

    private static Decision decision(int i) {
        return new Decision("mueller", "+49301234567", new CallerInfo("+4930555000" + i, CallerClass.UNKNOWN, null),
                Status.AVAILABLE, Action.SCREEN, List.of("PJSIP/anna"), i % 2 == 0, List.of(Action.MESSAGE),
                "Müller: +4930555000" + i, null, List.of("default rule 5"), List.of("PJSIP/anna"));
    }

    @Test
    void aDecisionAskedForGetsOneLogLineWrittenWithItsRow() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AsyncCallLog.class);
        logger.addAppender(lines);
        try (Database db = Database.open(dir.resolve("vz.db"))) {
            CallLogStore calls = new CallLogStore(db);
            AsyncCallLog log = new AsyncCallLog(db, calls);
            log.recordWithLogLine("1700000000.1", "PJSIP/trunk-1", T0, decision(1));
            log.record("CA123", "twilio", T0, decision(2)); // the Twilio webhook logs its own line
            log.close();
            assertThat(calls.recent(10)).hasSize(2);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("route: +49305550001 -> +49301234567 screen client=mueller (unknown)");
        assertThat(lines.list.get(0).getMDCPropertyMap()).containsEntry("callId", "1700000000.1");
    }

    /** log.call-level: the operator picks the per-call line's level (debug keeps it out of an INFO log) or none. */
    @Test
    void thePerCallLineTakesTheOperatorsLevelOrIsLeftOut() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AsyncCallLog.class);
        ch.qos.logback.classic.Level was = logger.getLevel();
        logger.addAppender(lines);
        try (Database db = Database.open(dir.resolve("vz.db"))) {
            CallLogStore calls = new CallLogStore(db);
            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
            AsyncCallLog debug = new AsyncCallLog(db, calls, org.slf4j.event.Level.DEBUG);
            debug.recordWithLogLine("1700000000.1", "PJSIP/trunk-1", T0, decision(1));
            debug.close();
            logger.setLevel(ch.qos.logback.classic.Level.INFO);
            AsyncCallLog debugInInfoLog = new AsyncCallLog(db, calls, org.slf4j.event.Level.DEBUG);
            debugInInfoLog.recordWithLogLine("1700000000.2", "PJSIP/trunk-1", T0, decision(2));
            debugInInfoLog.close();
            AsyncCallLog off = new AsyncCallLog(db, calls, null);
            off.recordWithLogLine("1700000000.3", "PJSIP/trunk-1", T0, decision(3));
            off.close();
            // the rows are written whatever the line's level
            assertThat(calls.recent(10)).extracting(CallLogEntry::callId)
                    .containsExactlyInAnyOrder("1700000000.1", "1700000000.2", "1700000000.3");
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(was);
        }
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
            assertThat(e.getMDCPropertyMap()).containsEntry("callId", "1700000000.1");
        });
    }

    @Test
    void decisionsHandedOverAreInTheLogAfterClose() {
        try (Database db = Database.open(dir.resolve("vz.db"))) {
            CallLogStore calls = new CallLogStore(db);
            AsyncCallLog log = new AsyncCallLog(db, calls);
            for (int i = 0; i < 5; i++) log.record("1700000000." + i, "asterisk", T0.plusSeconds(i), decision(i));
            log.close(); // writes what is queued
            List<CallLogEntry> rows = calls.recent(10);
            assertThat(rows).extracting(CallLogEntry::callId)
                    .containsExactly("1700000000.4", "1700000000.3", "1700000000.2", "1700000000.1", "1700000000.0");
            assertThat(rows.get(0).urgent()).isTrue();
            assertThat(rows.get(4).decisionJson()).isEqualTo(DecisionJson.write(decision(0)));

            // after close a decision is dropped from the log (with a warning), never thrown at the call path
            log.record("1700000000.9", "asterisk", T0.plusSeconds(9), decision(9));
            assertThat(calls.recent(10)).hasSize(5);
        }
    }
}
