package de.vorzimmer.status;

import de.vorzimmer.book.Status;

import java.util.Locale;

/**
 * What an override says. {@code SCHEDULE} hands the decision back to the client's weekly hours;
 * {@code EXPECT} marks one caller as expected and does not touch the status.
 */
public enum OverrideKind {
    AVAILABLE, UNAVAILABLE, DND, SCHEDULE, EXPECT;

    private final String word = name().toLowerCase(Locale.ROOT);

    public String word() {
        return word;
    }

    public static OverrideKind parse(String word) {
        if (word == null) throw new IllegalArgumentException("override kind == null");
        for (OverrideKind k : values()) {
            if (k.word().equals(word.trim().toLowerCase(Locale.ROOT))) return k;
        }
        throw new IllegalArgumentException(
                "unknown override '" + word + "', expected available, unavailable, dnd, schedule or expect");
    }

    /** The status this override forces, or null for {@code SCHEDULE} and {@code EXPECT}. */
    public Status status() {
        return switch (this) {
            case AVAILABLE -> Status.AVAILABLE;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case DND -> Status.DND;
            case SCHEDULE, EXPECT -> null;
        };
    }

    public boolean isStatus() {
        return this != EXPECT;
    }
}
