package de.vorzimmer.notify;

import java.util.Locale;

/**
 * What a notification is: an SMS about one urgent message, the daily digest of a client's other messages, or the
 * confirmation of an appointment booked for a caller.
 */
public enum NotificationKind {
    URGENT, DIGEST, BOOKING;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationKind parse(String word) {
        for (NotificationKind k : values()) if (k.word().equals(word)) return k;
        throw new IllegalArgumentException("unknown notification kind '" + word + "', expected urgent, digest or booking");
    }
}
