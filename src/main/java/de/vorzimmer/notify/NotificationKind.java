package de.vorzimmer.notify;

import java.util.Locale;

/**
 * What a notification tells about: one urgent message, the daily digest of a client's other messages, the
 * confirmation of an appointment booked for a caller, one other message (by e-mail), or a call-out of an escalation
 * chain that reads an urgent message to the person on call.
 */
public enum NotificationKind {
    URGENT, DIGEST, BOOKING, MESSAGE, CALLOUT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationKind parse(String word) {
        for (NotificationKind k : values()) if (k.word().equals(word)) return k;
        throw new IllegalArgumentException("unknown notification kind '" + word
                + "', expected urgent, digest, booking, message or callout");
    }
}
