package de.vorzimmer.calls;

import java.time.Instant;
import java.util.Objects;

/**
 * One decision acted on, as the call log keeps it.
 *
 * @param id           store id, 0 when not yet stored
 * @param callId       the Asterisk unique id or Twilio CallSid, or null
 * @param channel      where the call came in: {@code asterisk}, {@code twilio}, ...
 * @param clientId     null for a call to no known line
 * @param decisionJson the decision as {@link de.vorzimmer.routing.DecisionJson} writes it
 */
public record CallLogEntry(long id, Instant at, String callId, String channel, String clientId, String line,
                           String callerNumber, String callerClass, String status, String action, boolean urgent,
                           String decisionJson) {
    public CallLogEntry {
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(channel, "channel == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(decisionJson, "decisionJson == null");
    }
}
