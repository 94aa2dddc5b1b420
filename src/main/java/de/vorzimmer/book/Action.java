package de.vorzimmer.book;

import java.util.List;

/** What happens to a call. {@link #word()} is the stable external form used in JSON and channel variables. */
public enum Action {
    PUT_THROUGH("put-through"), SCREEN("screen"), MESSAGE("message"), REJECT("reject");

    private final String word;

    Action(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The fallbacks in order: put-through falls back to screen, screen to message. */
    public List<Action> fallbacks() {
        return switch (this) {
            case PUT_THROUGH -> List.of(SCREEN, MESSAGE);
            case SCREEN -> List.of(MESSAGE);
            case MESSAGE, REJECT -> List.of();
        };
    }

    public static Action parse(String word) {
        for (Action a : values()) {
            if (a.word.equals(word)) return a;
        }
        throw new IllegalArgumentException(
                "unknown action '" + word + "', expected put-through, screen, message or reject");
    }
}
