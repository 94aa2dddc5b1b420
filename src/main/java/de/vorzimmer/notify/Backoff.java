package de.vorzimmer.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th failed attempt wait a random time between half and all of
 * {@code min(cap, base * 2^(n-1))}. Half is kept so a retry never comes at once; the random half spreads
 * notifications that failed together (a provider outage) instead of sending them back in one burst.
 */
public record Backoff(Duration base, Duration cap) {
    /** 2 s, 4 s, 8 s, ... up to 5 minutes: the first retries land well within the minute an urgent SMS has. */
    public static final Backoff STANDARD = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    public Backoff {
        Objects.requireNonNull(base, "base == null");
        Objects.requireNonNull(cap, "cap == null");
        if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("base " + base + " must be positive");
        if (cap.compareTo(base) < 0) throw new IllegalArgumentException("cap " + cap + " below base " + base);
    }

    /** The wait after failed attempt number {@code attempt} (1 = the first), with {@code random} in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        if (attempt < 1) throw new IllegalArgumentException("attempt " + attempt + " < 1");
        long capMs = cap.toMillis();
        long ms = base.toMillis();
        for (int i = 1; i < attempt && ms < capMs; i++) ms *= 2;
        ms = Math.min(ms, capMs);
        long half = ms / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ms - half + 1)));
    }
}
