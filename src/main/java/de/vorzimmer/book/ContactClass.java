package de.vorzimmer.book;

import java.util.Locale;

/** The class a client gives a contact in the book. */
public enum ContactClass {
    VIP, NORMAL, BLOCKED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
