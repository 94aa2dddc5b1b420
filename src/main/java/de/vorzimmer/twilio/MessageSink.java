package de.vorzimmer.twilio;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.messages.MessageStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the Twilio adapter hands in the messages calls leave (recordings, missed calls). Blocking; returns the
 * message id once committed. The composition root passes the message desk where it has one (it also queues the
 * urgent SMS), else {@link #into} a message store.
 */
@FunctionalInterface
public interface MessageSink {
    long take(NewMessage message);

    /** Straight into the message store, stamped with {@code clock}. */
    static MessageSink into(MessageStore store, Clock clock) {
        Objects.requireNonNull(store, "store == null");
        Objects.requireNonNull(clock, "clock == null");
        return m -> store.add(Message.received(clock.instant(), m.clientId(), m.line(), m.callerNumber(),
                m.callerName(), m.kind(), m.text(), m.recordingPath(), m.urgent(), m.callId()));
    }
}
