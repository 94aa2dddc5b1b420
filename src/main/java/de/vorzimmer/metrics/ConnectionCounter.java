package de.vorzimmer.metrics;

/**
 * What a server that accepts connections tells about them, for the operator's metrics: one {@link #opened} per
 * accepted connection and one {@link #closed} when it ends, from any thread. Must not block (it runs on accept and
 * close paths, an event loop among them).
 */
public interface ConnectionCounter {
    void opened();

    void closed();

    /** Counts nothing (metrics off, tests). */
    ConnectionCounter NONE = new ConnectionCounter() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };
}
