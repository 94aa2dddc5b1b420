package de.vorzimmer.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification to put into the outbox, in the same transaction as the message(s) it tells about.
 *
 * @param key      unique per notification ever ({@code urgent:<message id>}, {@code digest:<client>:<date>}); a
 *                 second enqueue with the same key is ignored, which makes enqueueing idempotent
 * @param channel  how it goes out
 * @param to       E.164 number the SMS or call goes to, or the e-mail address
 * @param dueAt    first attempt not before this instant
 * @param giveUpAt no new attempt after this instant: the notification is marked failed instead
 */
public record NewNotification(String key, NotificationKind kind, Channel channel, String clientId, String to,
                              String body, Instant dueAt, Instant giveUpAt) {
    /** An SMS. */
    public NewNotification(String key, NotificationKind kind, String clientId, String to, String body, Instant dueAt,
                           Instant giveUpAt) {
        this(key, kind, Channel.SMS, clientId, to, body, dueAt, giveUpAt);
    }

    public NewNotification {
        Objects.requireNonNull(channel, "channel == null");
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(to, "to == null");
        Objects.requireNonNull(body, "body == null");
        Objects.requireNonNull(dueAt, "dueAt == null");
        Objects.requireNonNull(giveUpAt, "giveUpAt == null");
        if (giveUpAt.isBefore(dueAt)) throw new IllegalArgumentException("giveUpAt " + giveUpAt + " before dueAt " + dueAt);
    }

    /** The key of the SMS about urgent message {@code messageId}. */
    public static String urgentKey(long messageId) {
        return "urgent:" + messageId;
    }

    /** The key of the e-mail about message {@code messageId}. */
    public static String emailKey(long messageId) {
        return "email:" + messageId;
    }

    /** The key of {@code clientId}'s digest by e-mail for the local date {@code date}. */
    public static String emailDigestKey(String clientId, String date) {
        return "email-digest:" + clientId + ":" + date;
    }

    /** The key of {@code clientId}'s digest for the local date {@code date} (ISO, e.g. 2026-11-30). */
    public static String digestKey(String clientId, String date) {
        return "digest:" + clientId + ":" + date;
    }
}
