package de.vorzimmer.notify;

import java.util.Locale;

/** What a notification is: an SMS about one urgent message, or the daily digest of a client's other messages. */
public enum NotificationKind {
    URGENT, DIGEST;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationKind parse(String word) {
        for (NotificationKind k : values()) if (k.word().equals(word)) return k;
        throw new IllegalArgumentException("unknown notification kind '" + word + "', expected urgent or digest");
    }
}
