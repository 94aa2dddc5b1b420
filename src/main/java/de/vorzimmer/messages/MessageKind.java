package de.vorzimmer.messages;

import java.util.Locale;

/** How a message came about: a caller's recording, a missed call without one, or typed by a secretary. */
public enum MessageKind {
    RECORDING, MISSED, TYPED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageKind parse(String word) {
        if (word != null) {
            for (MessageKind k : values()) {
                if (k.word().equals(word.trim().toLowerCase(Locale.ROOT))) return k;
            }
        }
        throw new IllegalArgumentException("unknown message kind '" + word + "', expected recording, missed or typed");
    }
}
