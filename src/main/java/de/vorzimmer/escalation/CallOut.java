package de.vorzimmer.escalation;

import de.vorzimmer.notify.SendFailure;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Places the call-out of an escalation step through a PBX (Asterisk: AMI Originate through {@code vorzimmer-reach};
 * Twilio: a REST call whose TwiML reads the message). The call's end comes back later through
 * {@link Escalations#callEnded} and {@link Escalations#confirmByCall}.
 */
public interface CallOut {
    /** One call: {@code step} is the outbox id of the step, which the PBX hands back with every report. */
    record Order(long step, long messageId, String clientId, String to, int ringSeconds, String language) {
        public Order {
            Objects.requireNonNull(to, "to == null");
        }
    }

    /**
     * Asks the PBX to place the call; returns its id for the call (an action id, a CallSid) once the PBX took the
     * order.
     */
    String place(Order order) throws SendFailure;

    /**
     * After this process stopped mid-request: the id of the call the PBX placed for {@code order} since
     * {@code since}, if it can tell; empty when it placed none or cannot tell.
     */
    default Optional<String> find(Order order, Instant since) {
        return Optional.empty();
    }
}
