package de.vorzimmer.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void receivedMessageIsNewAndUnstored() {
        Message m = Message.received(T0, "mueller", "+49301234567", "", null, MessageKind.MISSED, null, null, false, "c1");
        assertThat(m.id()).isZero();
        assertThat(m.state()).isEqualTo(MessageState.NEW);
        assertThat(m.stateChangedAt()).isEqualTo(T0);
        assertThat(m.stateChangedBy()).isNull();
    }

    @Test
    void stateCannotChangeBeforeTheMessageExisted() {
        Message m = Message.received(T0, null, null, "", null, MessageKind.TYPED, "x", null, false, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.withState(MessageState.READ, "anna", T0.minusSeconds(1)));
        assertThat(e.getMessage()).contains("before creation");
    }

    @Test
    void wordsParseBackAndUnknownOnesAreNamed() {
        for (MessageState s : MessageState.values()) assertThat(MessageState.parse(s.word())).isEqualTo(s);
        for (MessageKind k : MessageKind.values()) assertThat(MessageKind.parse(k.word())).isEqualTo(k);
        assertThat(assertThrows(IllegalArgumentException.class, () -> MessageState.parse("gone")).getMessage())
                .isEqualTo("unknown message state 'gone', expected new, notified, read or done");
    }

    @Test
    void jsonEscapesTextAndWritesNulls() {
        Message m = Message.received(T0, "mueller", "+49301234567", "+49309876543", "Dr. \"Q\"", MessageKind.TYPED,
                "line1\nline2\t\\ \u0001", null, true, null).withId(7);
        assertThat(m.toJson().encode()).isEqualTo("{\"id\":7,\"created_at\":\"2026-11-30T08:00:00Z\","
                + "\"client\":\"mueller\",\"line\":\"+49301234567\",\"caller_number\":\"+49309876543\","
                + "\"caller_name\":\"Dr. \\\"Q\\\"\",\"kind\":\"typed\",\"text\":\"line1\\nline2\\t\\\\ \\u0001\","
                + "\"recording\":null,\"urgent\":true,\"unconfirmed\":true,\"state\":\"new\",\"state_changed_at\":\"2026-11-30T08:00:00Z\","
                + "\"state_changed_by\":null,\"call_id\":null}");
    }

    @Test
    void filterLimitIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> MessageFilter.all().limit(0));
        assertThat(MessageFilter.all().forClient("m").inState(MessageState.NEW).limit(5))
                .isEqualTo(new MessageFilter("m", MessageState.NEW, null, null, 5));
    }
}
