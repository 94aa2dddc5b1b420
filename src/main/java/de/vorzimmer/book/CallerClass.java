package de.vorzimmer.book;

import java.util.Locale;

/**
 * How a call's caller is seen by rules. {@code KNOWN} is any contact not blocked, VIPs included;
 * {@code EXPECTED} is a caller the client announced with an expect override.
 */
public enum CallerClass {
    VIP, KNOWN, UNKNOWN, ANONYMOUS, BLOCKED, EXPECTED;

    private final String word = name().toLowerCase(Locale.ROOT);

    public String word() {
        return word;
    }

    public static CallerClass parse(String word) {
        for (CallerClass c : values()) {
            if (c.word().equals(word)) return c;
        }
        throw new IllegalArgumentException(
                "unknown caller class '" + word + "', expected vip, known, unknown, anonymous, blocked or expected");
    }
}
