package de.vorzimmer.usage;

import de.vorzimmer.calls.CallUpdate;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores when calls were answered and ended ({@link CallTimes}) from the live call state both PBX adapters publish
 * on {@link CallUpdate#ADDRESS}: Asterisk from AMI (the call tracker), Twilio from its webhooks. Reads only
 * {@code callId}, {@code state}, {@code client}, {@code stage}, {@code answeredBy} and {@code at}. The writes run off
 * the event loop in the order the updates arrived; one that fails is logged and the next goes on (the call itself is
 * never affected, only its line in the usage report).
 */
public final class CallTimesRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallTimesRecorder.class);

    private final Vertx vertx;
    private final CallTimes times;
    private final Clock clock;
    private final MessageConsumer<Object> consumer;

    public CallTimesRecorder(Vertx vertx, CallTimes times, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.times = Objects.requireNonNull(times, "times == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.consumer = vertx.eventBus().consumer(CallUpdate.ADDRESS, m -> onUpdate(m.body()));
    }

    private void onUpdate(Object body) {
        JsonObject u = body instanceof JsonObject o ? o : body instanceof String s ? parse(s) : null;
        if (u == null) return;
        String callId = u.getValue("callId") instanceof String s && !s.isBlank() && s.length() <= 200 ? s : null;
        String state = u.getValue("state") instanceof String s ? s : "";
        if (callId == null || !(state.equals("answered") || state.equals("ended") || state.equals("missed"))) return;
        Instant at = instant(u.getValue("at"));
        String client = text(u, "client", 100);
        String stage = text(u, "stage", 20);
        String by = text(u, "answeredBy", 200);
        // ordered: an answer and the end right after it are written in that order
        vertx.executeBlocking(() -> state.equals("answered") ? times.answered(callId, client, stage, by, at)
                : times.ended(callId, at), true)
                .onFailure(e -> LOG.warn("call {}: usage time not stored ({}): {}", callId, state, e.toString()));
    }

    private Instant instant(Object at) {
        if (at instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                // fall through: the time the update arrived
            }
        }
        return clock.instant();
    }

    private static String text(JsonObject u, String key, int max) {
        return u.getValue(key) instanceof String s && !s.isEmpty() ? (s.length() > max ? s.substring(0, max) : s) : null;
    }

    private static JsonObject parse(String s) {
        try {
            return new JsonObject(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.unregister();
    }
}
