package de.vorzimmer.routing;

import java.time.Instant;

/** Where adapters report every decision they act on (the call log). Implementations must not block the caller. */
public interface DecisionLog {
    void record(String callId, String channel, Instant at, Decision decision);

    /**
     * As {@link #record}, and the decision also gets one line in the server log, written with its call-log row
     * (off the call path, in the writer's batches) rather than by the adapter: for adapters that log no line of
     * their own. By default (and for {@link #NONE}) the same as {@link #record}.
     */
    default void recordWithLogLine(String callId, String channel, Instant at, Decision decision) {
        record(callId, channel, at, decision);
    }

    DecisionLog NONE = (callId, channel, at, decision) -> { };
}
