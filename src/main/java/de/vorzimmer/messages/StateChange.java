package de.vorzimmer.messages;

import java.time.Instant;
import java.util.Objects;

/** One entry of a message's history: its creation ({@code from} null) or a change of state, by whom and when. */
public record StateChange(long messageId, Instant at, MessageState from, MessageState to, String by) {
    public StateChange {
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(to, "to == null");
    }
}
