package de.vorzimmer.book;

import java.util.Objects;

/** One of a client's own rules: {@code if} condition {@code then} action, optionally marking the message urgent. */
public record Rule(Condition condition, Action action, boolean urgent) {
    public Rule {
        Objects.requireNonNull(condition, "condition == null");
        Objects.requireNonNull(action, "action == null");
    }
}
