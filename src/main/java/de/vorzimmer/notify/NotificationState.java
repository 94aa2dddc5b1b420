package de.vorzimmer.notify;

import java.util.Locale;

/**
 * Where a notification stands in the outbox: {@code pending} (due at its next attempt), {@code sending} (claimed;
 * the provider call is in flight), {@code sent} (the provider accepted it and we recorded its id) or
 * {@code failed} (a permanent error, or transient ones until the give-up time) or {@code cancelled} (no longer wanted:
 * a step of an escalation chain that was confirmed or stopped first).
 */
public enum NotificationState {
    PENDING, SENDING, SENT, FAILED, CANCELLED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationState parse(String word) {
        if (word != null) {
            for (NotificationState s : values()) if (s.word().equals(word.trim().toLowerCase(Locale.ROOT))) return s;
        }
        throw new IllegalArgumentException("unknown outbox state '" + word + "', expected pending, sending, sent, failed or cancelled");
    }
}
