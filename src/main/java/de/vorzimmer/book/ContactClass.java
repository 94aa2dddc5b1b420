package de.vorzimmer.book;

import java.util.Locale;

/** The class a client gives a contact in the book. */
public enum ContactClass {
    VIP, NORMAL, BLOCKED;

    private final String word = name().toLowerCase(Locale.ROOT);

    public String word() {
        return word;
    }
}
