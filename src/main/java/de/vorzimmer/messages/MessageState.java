package de.vorzimmer.messages;

import java.util.Locale;

/**
 * Where a message stands: {@code new} when taken, {@code notified} once the client was told (SMS),
 * {@code read} when the client or a secretary opened it, {@code done} when dealt with.
 */
public enum MessageState {
    NEW, NOTIFIED, READ, DONE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The lifecycle only moves forward (a step may be skipped: a secretary may close a new message at once);
     * staying in the same state is allowed and changes nothing.
     */
    public boolean canMoveTo(MessageState next) {
        return next.ordinal() >= ordinal();
    }

    public static MessageState parse(String word) {
        if (word != null) {
            for (MessageState s : values()) {
                if (s.word().equals(word.trim().toLowerCase(Locale.ROOT))) return s;
            }
        }
        throw new IllegalArgumentException("unknown message state '" + word + "', expected new, notified, read or done");
    }
}
