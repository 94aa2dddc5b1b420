package de.vorzimmer.messages;

import java.time.Instant;

/**
 * Which messages to list, newest first. A null field does not filter.
 *
 * @param urgent true: only urgent ones; false: only non-urgent ones
 * @param since  only messages created at or after it
 * @param limit  at most this many, 1..10000
 */
public record MessageFilter(String clientId, MessageState state, Boolean urgent, Instant since, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public MessageFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " out of range 1.." + MAX_LIMIT);
        }
    }

    public static MessageFilter all() {
        return new MessageFilter(null, null, null, null, DEFAULT_LIMIT);
    }

    public MessageFilter forClient(String id) {
        return new MessageFilter(id, state, urgent, since, limit);
    }

    public MessageFilter inState(MessageState s) {
        return new MessageFilter(clientId, s, urgent, since, limit);
    }

    public MessageFilter urgentOnly(Boolean u) {
        return new MessageFilter(clientId, state, u, since, limit);
    }

    public MessageFilter since(Instant t) {
        return new MessageFilter(clientId, state, urgent, t, limit);
    }

    public MessageFilter limit(int n) {
        return new MessageFilter(clientId, state, urgent, since, n);
    }
}
