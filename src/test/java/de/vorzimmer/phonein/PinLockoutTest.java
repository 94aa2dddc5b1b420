package de.vorzimmer.phonein;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinLockoutTest {
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    /** Attempts written as minutes before now, {@code -} for wrong and {@code +} for right, e.g. {@code -50 -10 +5}. */
    static List<PinLockout.Attempt> attempts(String spec) {
        List<PinLockout.Attempt> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String a : spec.trim().split(" +")) {
            boolean ok = a.startsWith("+");
            out.add(new PinLockout.Attempt(NOW.minus(Duration.ofMinutes(Long.parseLong(a.substring(1)))), ok));
        }
        return out;
    }

    @ParameterizedTest(name = "[{0}] -> {1} recent, locks on next: {2}")
    @CsvSource({
            "'', 0, false",
            "'-50 -40 -30 -20', 4, true",
            "'-70 -50 -40 -30 -20', 4, true",   // one is older than the hour
            "'-90 -80 -70 -65 -61', 0, false",
            "'-50 -40 +35 -30 -20', 2, false",  // a right PIN starts the count anew
            "'-3 -2 -1', 3, false",
    })
    void failuresCountWithinTheHourSinceTheLastRightPin(String spec, int recent, boolean locksOnNext) {
        PinLockout.PinState s = PinLockout.state(attempts(spec), null, NOW);
        assertThat(s.recentFailures()).isEqualTo(recent);
        assertThat(PinLockout.lockAfterFailure(s, NOW) != null).isEqualTo(locksOnNext);
        if (locksOnNext) assertThat(PinLockout.lockAfterFailure(s, NOW)).isEqualTo(NOW.plus(PinLockout.LOCK));
    }

    @ParameterizedTest
    @CsvSource({"-10, true", "0, false", "10, false"})
    void aLockHoldsUntilItsEnd(long minutesUntilEnd, boolean locked) {
        Instant end = NOW.plus(Duration.ofMinutes(-minutesUntilEnd));
        PinLockout.PinState s = PinLockout.state(List.of(), end, NOW);
        assertThat(s.lockedAt(NOW)).isEqualTo(locked);
    }
}
