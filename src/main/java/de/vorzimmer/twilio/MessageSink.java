package de.vorzimmer.twilio;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.messages.NewMessage;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the Twilio adapter hands in the messages calls leave (recordings, missed calls). {@link #store} writes inside
 * the caller's transaction (the call's row is settled in the same one, so a call leaves its message exactly once, on
 * any node); {@link #committed} runs after that commit (wakes the outbox for an urgent SMS). Blocking.
 */
public interface MessageSink {
    /** Stores {@code message}, joining the caller's open transaction; returns its id. */
    long store(NewMessage message);

    /** Called after the transaction that stored messages committed. */
    void committed();

    /** Through the message desk: checked against the book, the urgent SMS queued in the same transaction. */
    static MessageSink of(MessageDesk desk) {
        Objects.requireNonNull(desk, "desk == null");
        return new MessageSink() {
            @Override
            public long store(NewMessage message) {
                return desk.takeWithin(message).id();
            }

            @Override
            public void committed() {
                desk.notificationsQueued();
            }
        };
    }

    /** Straight into the message store, stamped with {@code clock}, no notifications. */
    static MessageSink into(MessageStore store, Clock clock) {
        Objects.requireNonNull(store, "store == null");
        Objects.requireNonNull(clock, "clock == null");
        return new MessageSink() {
            @Override
            public long store(NewMessage m) {
                return store.add(Message.received(clock.instant(), m.clientId(), m.line(), m.callerNumber(),
                        m.callerName(), m.kind(), m.text(), m.recordingPath(), m.urgent(), m.callId()));
            }

            @Override
            public void committed() {
            }
        };
    }
}
