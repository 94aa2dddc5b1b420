package de.vorzimmer.asterisk;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * How a callback ended: {@code connected} once the secretary answered and the caller is being dialled
 * (through {@code vorzimmer-reach}); otherwise {@code outcome} says why not (busy, no-answer, congestion,
 * hangup, failed, timeout, error).
 *
 * @param id        our id for the callback (also the AMI ActionID)
 * @param uniqueId  Asterisk unique id of the secretary's channel, or null
 */
public record CallbackResult(String id, String secretary, String endpoint, String number, boolean connected,
                             String outcome, String uniqueId, Instant at) {
    /** Event-bus address where callback outcomes are published (JSON object). */
    public static final String ADDRESS = "vorzimmer.callbacks";

    public CallbackResult {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(at, "at == null");
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("secretary", secretary).put("endpoint", endpoint)
                .put("number", number).put("connected", connected).put("outcome", outcome)
                .put("uniqueId", uniqueId).put("at", at.toString());
    }

    /** Asterisk's originate reason codes (channel.h {@code AST_CONTROL_*}). */
    static String outcome(Integer reason) {
        if (reason == null) return "failed";
        return switch (reason) {
            case 4 -> "answered";
            case 5 -> "busy";
            case 3 -> "no-answer";
            case 8 -> "congestion";
            case 1 -> "hangup";
            default -> "failed";
        };
    }
}
