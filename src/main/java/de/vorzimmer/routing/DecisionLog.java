package de.vorzimmer.routing;

import java.time.Instant;

/** Where adapters report every decision they act on (the call log). Implementations must not block the caller. */
public interface DecisionLog {
    void record(String callId, String channel, Instant at, Decision decision);

    DecisionLog NONE = (callId, channel, at, decision) -> { };
}
