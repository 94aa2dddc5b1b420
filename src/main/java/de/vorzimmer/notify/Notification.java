package de.vorzimmer.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A notification as the outbox holds it.
 *
 * @param attempts    provider calls started so far (a claim counts as one)
 * @param claimedAt   when the current or last attempt was claimed, or null
 * @param providerId  the provider's message id (Twilio SID) once sent
 * @param lastError   the last failure, as the provider or the network reported it, or null
 * @param delivery    what the provider last reported about delivery ({@code delivered}, {@code undelivered 30003}), or null
 */
public record Notification(long id, String key, NotificationKind kind, Channel channel, String clientId, String to,
                           String body,
                           NotificationState state, Instant createdAt, Instant nextAttemptAt, Instant giveUpAt,
                           int attempts, Instant claimedAt, Instant sentAt, String providerId, String lastError,
                           String delivery) {
    public Notification {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(channel, "channel == null");
        Objects.requireNonNull(state, "state == null");
    }

    /** The JSON the API shows for it. */
    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("key", key).put("kind", kind.word()).put("channel", channel.word())
                .put("client", clientId)
                .put("to", to).put("body", body).put("state", state.word())
                .put("created_at", text(createdAt)).put("next_attempt_at", text(nextAttemptAt))
                .put("give_up_at", text(giveUpAt)).put("attempts", attempts).put("claimed_at", text(claimedAt))
                .put("sent_at", text(sentAt)).put("provider_id", providerId).put("last_error", lastError)
                .put("delivery", delivery);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
