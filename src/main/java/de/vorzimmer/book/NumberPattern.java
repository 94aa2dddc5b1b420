package de.vorzimmer.book;


import java.util.Objects;

/**
 * An E.164 number, or a prefix of one when {@code prefix} is set (written with a trailing {@code *}).
 * Always built from a number already normalised by {@link PhoneNumbers}.
 */
public record NumberPattern(String digits, boolean prefix) {
    public NumberPattern {
        Objects.requireNonNull(digits, "digits == null");
        if (digits.length() < 2 || digits.charAt(0) != '+') {
            throw new IllegalArgumentException("pattern '" + digits + "' is not in E.164 form");
        }
        for (int i = 1; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("pattern '" + digits + "' is not in E.164 form");
        }
    }

    public static NumberPattern exact(String e164) {
        return new NumberPattern(e164, false);
    }

    public boolean matches(String e164) {
        return prefix ? e164.startsWith(digits) : e164.equals(digits);
    }

    /** Higher is more specific: an exact number beats any pattern, a longer pattern a shorter one. */
    public int specificity() {
        return prefix ? digits.length() : 1000;
    }

    /** The book form: the number, with {@code *} for a prefix. */
    @Override
    public String toString() {
        return prefix ? digits + "*" : digits;
    }
}
