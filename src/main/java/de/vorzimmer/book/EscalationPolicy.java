package de.vorzimmer.book;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How an unconfirmed urgent message climbs the on-call list ({@code escalation:} in {@code defaults} or on a
 * client): {@code after} this long unconfirmed the first person on call is called, then the next, each phone
 * ringing {@code ring}; the whole list is gone through {@code rounds} times, {@code after} apart. {@code rounds: 0}
 * means no call-outs: the urgent SMS only.
 */
public record EscalationPolicy(Duration after, Duration ring, int rounds) {
    public static final Duration MAX_AFTER = Duration.ofHours(24);
    public static final Duration MIN_RING = Duration.ofSeconds(5);
    public static final Duration MAX_RING = Duration.ofSeconds(120);
    public static final int MAX_ROUNDS = 10;
    /** After 10 minutes, 30 s of ringing per person, the on-call list twice. */
    public static final EscalationPolicy STANDARD = new EscalationPolicy(Duration.ofMinutes(10), Duration.ofSeconds(30), 2);

    public EscalationPolicy {
        Objects.requireNonNull(after, "after == null");
        Objects.requireNonNull(ring, "ring == null");
        if (after.isNegative() || after.compareTo(MAX_AFTER) > 0) {
            throw new IllegalArgumentException("after " + text(after) + " is not between 0s and 24h");
        }
        if (ring.compareTo(MIN_RING) < 0 || ring.compareTo(MAX_RING) > 0) {
            throw new IllegalArgumentException("ring " + text(ring) + " is not between 5s and 120s");
        }
        if (rounds < 0 || rounds > MAX_ROUNDS) throw new IllegalArgumentException("rounds " + rounds + " is not 0 to " + MAX_ROUNDS);
    }

    /**
     * Reads a duration as the book writes it: {@code 90s}, {@code 10m}, {@code 1h}, or a bare number in
     * {@code bareUnit}s ({@code after: 10} is ten minutes, {@code ring: 30} thirty seconds).
     */
    public static Duration parseDuration(String text, java.time.temporal.ChronoUnit bareUnit) {
        if (text == null) throw new IllegalArgumentException("duration is missing");
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9]{1,6}(s|m|h|min)?")) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 90s, 10m or 1h");
        }
        String digits = t.replaceAll("[^0-9]", "");
        long n = Long.parseLong(digits);
        String unit = t.substring(digits.length());
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.of(n, bareUnit);
        };
    }

    /** The book's way of writing {@code d}: the largest unit that divides it. */
    public static String text(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
