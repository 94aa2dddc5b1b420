package de.vorzimmer.metrics;

import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ConnectionCounter} that keeps the number of connections open now, for a gauge. */
public final class OpenConnections implements ConnectionCounter {
    private final AtomicInteger open = new AtomicInteger();

    @Override
    public void opened() {
        open.incrementAndGet();
    }

    @Override
    public void closed() {
        open.decrementAndGet();
    }

    /** Connections open now. */
    public int count() {
        return open.get();
    }
}
