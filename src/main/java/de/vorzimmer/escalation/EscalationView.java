package de.vorzimmer.escalation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** An escalation chain as the console shows it: where it stands, who was tried when, who confirmed. */
public record EscalationView(long messageId, String clientId, Chain.Status status, int round, Instant startedAt,
                             Instant updatedAt, Instant confirmedAt, String confirmedBy, String confirmedVia,
                             Instant stoppedAt, String stoppedBy, List<Step> steps) {
    /** One step: the SMS or a call-out, to whom, when, how it ended, and its outbox row's state. */
    public record Step(int step, String channel, String person, String number, Instant dueAt, Instant placedAt,
                       String outcome, Instant endedAt, Long outboxId, String outboxState, int attempts,
                       String lastError) {
        JsonObject toJson() {
            return new JsonObject().put("step", step).put("channel", channel).put("person", person)
                    .put("number", number).put("due_at", text(dueAt)).put("placed_at", text(placedAt))
                    .put("outcome", outcome).put("ended_at", text(endedAt)).put("outbox_id", outboxId)
                    .put("outbox_state", outboxState).put("attempts", attempts).put("last_error", lastError);
        }
    }

    public JsonObject toJson() {
        JsonArray s = new JsonArray();
        for (Step step : steps) s.add(step.toJson());
        return new JsonObject().put("message", messageId).put("client", clientId).put("state", status.word())
                .put("round", round).put("started_at", text(startedAt)).put("updated_at", text(updatedAt))
                .put("confirmed_at", text(confirmedAt)).put("confirmed_by", confirmedBy)
                .put("confirmed_via", confirmedVia).put("stopped_at", text(stoppedAt)).put("stopped_by", stoppedBy)
                .put("steps", s);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
