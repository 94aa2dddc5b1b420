package de.vorzimmer.escalation;

import de.vorzimmer.notify.SendFailure;
import java.time.Instant;
import java.util.Objects;
import java.util.List;

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
     * After this process stopped mid-request: the ids of the calls the PBX placed to {@code order.to()} since
     * {@code since} (one of them may be this order's), newest first; empty when there are none or it cannot tell.
     */
    default List<String> find(Order order, Instant since) {
        return List.of();
    }
}
