package de.vorzimmer.console;

import java.util.Locale;

/** What a console user may do: a secretary works calls, messages and the board; an admin also edits the book and users. */
public enum Role {
    SECRETARY, ADMIN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String word) {
        if (word != null) {
            for (Role r : values()) {
                if (r.word().equals(word.trim().toLowerCase(Locale.ROOT))) return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + word + "', expected secretary or admin");
    }
}
