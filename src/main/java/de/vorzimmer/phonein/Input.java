package de.vorzimmer.phonein;

import java.util.Objects;

/** What the caller did at a prompt. */
public sealed interface Input {
    /** The keys pressed, without the terminating {@code #}; may hold {@code *}. Never empty (that is a timeout). */
    record Keys(String digits) implements Input {
        public Keys {
            Objects.requireNonNull(digits, "digits == null");
            if (digits.isEmpty()) throw new IllegalArgumentException("no keys: use Input.TIMEOUT");
            if (!digits.matches("[0-9*#]+")) throw new IllegalArgumentException("keys '" + digits + "' are not DTMF");
        }
    }

    /** Nothing (or only {@code #}) pressed before the prompt timed out. */
    record Timeout() implements Input {
    }

    record Hangup() implements Input {
    }

    Input TIMEOUT = new Timeout();
    Input HANGUP = new Hangup();

    /** What Asterisk's {@code GET DATA} answers when the caller hung up during the entry ({@code 200 result=-1}). */
    String DROPPED = "-1";

    /** Keys as the PBX hands them over: null or empty is a timeout, {@link #DROPPED} a hang-up during the entry. */
    static Input of(String digits) {
        if (digits == null || digits.isEmpty()) return TIMEOUT;
        if (digits.equals(DROPPED)) return HANGUP;
        return new Keys(digits);
    }
}
