package de.vorzimmer.escalation;

import java.util.Locale;

/**
 * How a step of an escalation chain ended: the SMS went out ({@code sent}); a call-out was confirmed with 1,
 * answered without a confirmation, not answered, busy, failed, or its end never reported ({@code unknown}); or it
 * was cancelled before it went out (the message was confirmed or the chain stopped).
 */
public enum CallOutcome {
    SENT, CONFIRMED, ANSWERED, NO_ANSWER, BUSY, FAILED, UNKNOWN, CANCELLED;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CallOutcome parse(String word) {
        for (CallOutcome o : values()) if (o.word().equals(word)) return o;
        throw new IllegalArgumentException("unknown outcome '" + word + "'");
    }
}
