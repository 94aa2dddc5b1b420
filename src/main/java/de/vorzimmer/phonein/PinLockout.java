package de.vorzimmer.phonein;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The PIN lockout rule: five wrong PINs for a client within an hour (not counting those before a right one) lock
 * phone-in for that client for an hour from the fifth. While locked no PIN is checked, not even the right one.
 * Pure: the store supplies the attempts, the caller the instant.
 */
public final class PinLockout {
    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofHours(1);
    public static final Duration LOCK = Duration.ofHours(1);

    private PinLockout() {
    }

    /** One stored PIN attempt. */
    public record Attempt(Instant at, boolean ok) {
        public Attempt {
            Objects.requireNonNull(at, "at == null");
        }
    }

    /**
     * Where a client stands at an instant.
     *
     * @param recentFailures wrong PINs in the window since the last right one
     * @param lockedUntil    end of the lock in force, or null
     */
    public record PinState(int recentFailures, Instant lockedUntil) {
        public static final PinState CLEAR = new PinState(0, null);

        public PinState {
            if (recentFailures < 0) throw new IllegalArgumentException("recentFailures " + recentFailures + " < 0");
        }

        public boolean lockedAt(Instant t) {
            return lockedUntil != null && t.isBefore(lockedUntil);
        }
    }

    /**
     * The state at {@code now} from the attempts (any order; those outside the window are ignored) and the latest
     * lock's end (null if never locked).
     */
    public static PinState state(List<Attempt> attempts, Instant latestLockUntil, Instant now) {
        Instant from = now.minus(WINDOW);
        Instant lastOk = null;
        for (Attempt a : attempts) {
            if (a.ok() && !a.at().isAfter(now) && (lastOk == null || a.at().isAfter(lastOk))) lastOk = a.at();
        }
        int failures = 0;
        for (Attempt a : attempts) {
            if (a.ok() || a.at().isAfter(now) || !a.at().isAfter(from)) continue;
            if (lastOk != null && !a.at().isAfter(lastOk)) continue;
            failures++;
        }
        Instant locked = latestLockUntil != null && now.isBefore(latestLockUntil) ? latestLockUntil : null;
        return new PinState(failures, locked);
    }

    /** The end of the lock that one more wrong PIN at {@code now} imposes, or null if it does not lock. */
    public static Instant lockAfterFailure(PinState state, Instant now) {
        return state.recentFailures() + 1 >= MAX_FAILURES ? now.plus(LOCK) : null;
    }
}
