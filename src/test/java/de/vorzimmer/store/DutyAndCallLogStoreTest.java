package de.vorzimmer.store;

import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.status.DutyStore;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.routing.CallerInfo;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import de.vorzimmer.book.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DutyAndCallLogStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    Database db;

    @BeforeEach
    void open() {
        db = fresh.db();
    }

    @Test
    void secretariesAreOnDutyUntilRecordedOtherwise() {
        DutyStore duty = new DutyStore(db);
        assertThat(duty.offDuty()).isEmpty();
        duty.set("anna", false, T0, "console");
        duty.set("ben", false, T0, "ami");
        duty.set("anna", true, T0.plusSeconds(60), "console");
        assertThat(duty.offDuty()).containsExactly("ben");
    }

    @Test
    void callLogKeepsTheDecisionNewestFirst() {
        CallLogStore log = new CallLogStore(db);
        Decision d = new Decision("mueller", "+49301234567",
                new CallerInfo("+49309876543", CallerClass.VIP, "Labor Schmidt"), Status.AVAILABLE,
                Action.SCREEN, List.of("PJSIP/anna"), true, List.of(Action.MESSAGE), "Müller: Labor Schmidt",
                "Praxis", List.of("rule 2"), List.of("PJSIP/anna"));
        long first = log.append("1700000000.1", "asterisk", T0, d);
        long second = log.append(new CallLogEntry(0, T0.plusSeconds(5), null, "twilio", null, "+4930999", "",
                "anonymous", null, "message", false, "{}"));

        List<CallLogEntry> recent = log.recent(10);
        assertThat(recent).extracting(CallLogEntry::id).containsExactly(second, first);
        CallLogEntry e = recent.get(1);
        assertThat(e.at()).isEqualTo(T0);
        assertThat(e.callId()).isEqualTo("1700000000.1");
        assertThat(e.clientId()).isEqualTo("mueller");
        assertThat(e.callerClass()).isEqualTo("vip");
        assertThat(e.status()).isEqualTo("available");
        assertThat(e.action()).isEqualTo("screen");
        assertThat(e.urgent()).isTrue();
        assertThat(e.decisionJson()).isEqualTo(DecisionJson.write(d));
        assertThat(recent.get(0).clientId()).isNull();
        assertThat(log.recent(1)).hasSize(1);
    }

    @Test
    void aBatchOfDecisionsIsStoredInOrderInOneGo() {
        CallLogStore log = new CallLogStore(db);
        List<CallLogEntry> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Decision d = new Decision("mueller", "+49301234567", new CallerInfo("+4930555000" + i, CallerClass.UNKNOWN,
                    null), Status.AVAILABLE, Action.SCREEN, List.of("PJSIP/anna"), false, List.of(Action.MESSAGE),
                    "Müller: +4930555000" + i, null, List.of("default rule 5"), List.of("PJSIP/anna"));
            batch.add(CallLogStore.entry("1700000000." + i, "PJSIP/trunk-" + i, T0.plusSeconds(i), d));
        }
        log.appendAll(batch);
        log.appendAll(List.of());
        List<CallLogEntry> recent = log.recent(10);
        assertThat(recent).extracting(CallLogEntry::callId).containsExactly("1700000000.2", "1700000000.1", "1700000000.0");
        assertThat(recent).extracting(CallLogEntry::callerNumber).containsExactly("+49305550002", "+49305550001", "+49305550000");
        assertThat(recent.get(2).decisionJson()).isEqualTo(batch.get(0).decisionJson());
    }

    @Test
    void aBatchWithABadEntryStoresNothing() {
        CallLogStore log = new CallLogStore(db);
        CallLogEntry good = new CallLogEntry(0, T0, "1", "twilio", null, "+4930999", "", "anonymous", null, "message",
                false, "{}");
        // the second entry fails inside the transaction: the first is rolled back with it
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> log.appendAll(java.util.Arrays.asList(good, null)));
        assertThat(log.recent(10)).isEmpty();
    }
}
