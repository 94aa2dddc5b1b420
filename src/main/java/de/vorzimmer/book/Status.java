package de.vorzimmer.book;

import java.util.Locale;

/** A client's availability at one instant. The lower-case {@link #word()} is the stable external form. */
public enum Status {
    AVAILABLE, UNAVAILABLE, DND;

    private final String word = name().toLowerCase(Locale.ROOT);

    public String word() {
        return word;
    }

    /** Parses {@code available}, {@code unavailable} or {@code dnd}. */
    public static Status parse(String word) {
        if (word == null) throw new IllegalArgumentException("status == null");
        for (Status s : values()) {
            if (s.word().equals(word.trim().toLowerCase(Locale.ROOT))) return s;
        }
        throw new IllegalArgumentException("unknown status '" + word + "', expected available, unavailable or dnd");
    }
}
