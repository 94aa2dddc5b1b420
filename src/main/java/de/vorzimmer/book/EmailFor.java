package de.vorzimmer.book;

import java.util.Locale;

/**
 * Which messages go to a client's {@code email} ({@code email-for:} in the book): every message as it comes, the
 * urgent ones as they come (the others in the daily digest), or only the daily digest.
 */
public enum EmailFor {
    ALL, URGENT, DIGEST;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether message of this urgency is mailed on its own as it comes. */
    public boolean mailsAtOnce(boolean urgent) {
        return this == ALL || this == URGENT && urgent;
    }

    /** Whether the daily digest goes out by e-mail (with {@code all} each message was mailed already). */
    public boolean mailsDigest() {
        return this != ALL;
    }

    public static EmailFor parse(String word) {
        if (word != null) {
            for (EmailFor e : values()) if (e.word().equals(word.trim().toLowerCase(Locale.ROOT))) return e;
        }
        throw new IllegalArgumentException("'" + word + "' is not all, urgent or digest");
    }
}
