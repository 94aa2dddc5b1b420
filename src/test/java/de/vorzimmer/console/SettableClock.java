package de.vorzimmer.console;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so windows and locks can end without waiting. */
final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant start) {
        this.now = start;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    @java.lang.Override
    public Instant instant() {
        return now;
    }

    @java.lang.Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @java.lang.Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the test clock is UTC only");
    }
}
