package de.vorzimmer.twilio;

import de.vorzimmer.book.Action;
import de.vorzimmer.calls.CallDecision;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code /twilio/voice} decided for one call, kept by CallSid for the later legs, and how the call ended.
 *
 * @param language      the client's language ({@code de}, {@code en}, ...), the book default without a client
 * @param region        the client's region, used to pick the voice ({@code en} in GB says en-GB)
 * @param screenTargets the secretary endpoints a failed put-through falls back to (as in the book)
 * @param accepted      the client pressed 1 in the whisper
 * @param outcome       null while the call runs
 * @param messageId     the message the call left, if any
 * @param stage         what is being done with the call now: the action at first, then the fallback it reached
 *                      (put-through, then screen, then message) or what a secretary chose in the console
 * @param decision      what the routing core decided when the call came in (null on rows of an earlier release)
 */
public record CallRecord(String callSid, Instant createdAt, String clientId, String line, String callerNumber,
                         String callerName, Action action, boolean urgent, String language, String region,
                         List<String> screenTargets, boolean accepted, Outcome outcome, Long messageId, Action stage,
                         CallDecision decision) {
    public CallRecord {
        Objects.requireNonNull(callSid, "callSid == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(language, "language == null");
        screenTargets = List.copyOf(screenTargets);
        if (stage == null) stage = action;
    }

    /** A call at the stage of its action. */
    public CallRecord(String callSid, Instant createdAt, String clientId, String line, String callerNumber,
                      String callerName, Action action, boolean urgent, String language, String region,
                      List<String> screenTargets, boolean accepted, Outcome outcome, Long messageId,
                      CallDecision decision) {
        this(callSid, createdAt, clientId, line, callerNumber, callerName, action, urgent, language, region,
                screenTargets, accepted, outcome, messageId, action, decision);
    }

    /** This call at stage {@code s}. */
    public CallRecord atStage(Action s) {
        return new CallRecord(callSid, createdAt, clientId, line, callerNumber, callerName, action, urgent, language, region,
                screenTargets, accepted, outcome, messageId, s, decision);
    }

    /** This call, ended with {@code o}. */
    public CallRecord withOutcome(Outcome o) {
        return new CallRecord(callSid, createdAt, clientId, line, callerNumber, callerName, action, urgent, language, region,
                screenTargets, accepted, o, messageId, stage, decision);
    }

    /** What the secretaries' phones show for this call ("Müller: caller"), as it was decided; null if unknown. */
    public String display() {
        return decision == null ? null : decision.display();
    }

    /** How a call ended, once it did. */
    public enum Outcome {
        ANSWERED, RECORDED, MISSED, REJECTED;

        private final String word = name().toLowerCase(Locale.ROOT);

        public String word() {
            return word;
        }

        public static Outcome parse(String word) {
            if (word == null) return null;
            for (Outcome o : values()) if (o.word().equals(word)) return o;
            throw new IllegalArgumentException("unknown call outcome '" + word + "'");
        }
    }
}
