package de.vorzimmer.asterisk;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /api/v1/callbacks} {@code {"secretary":"anna","number":"+49 170 1111111"}}: the secretary's phone
 * rings, and once she answers the caller is dialled. Answers {@code 202} with the callback's id as soon as
 * Asterisk took the order; the outcome is published on {@link CallbackResult#ADDRESS}. Errors are
 * {@code {"error": "..."}}: 400 naming the field, 415 for a body that is not JSON, 503 when AMI is not
 * configured or not connected. Mounted next to the console API ({@code router} is shared).
 */
public final class CallbackApi {
    public static final String PATH = "/api/v1/callbacks";
    static final long MAX_BODY = 4 * 1024;
    private static final Set<String> FIELDS = Set.of("secretary", "number");

    private final AsteriskLive asterisk;

    public CallbackApi(AsteriskLive asterisk) {
        this.asterisk = Objects.requireNonNull(asterisk, "asterisk == null");
    }

    public void mount(Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::callback);
    }

    private void callback(RoutingContext ctx) {
        String ct = ctx.request().getHeader("content-type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(ctx, 415, "content-type must be application/json");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(ctx, 400, "body is not a JSON object");
            return;
        }
        if (body == null) {
            error(ctx, 400, "body is empty; expected {\"secretary\": \"...\", \"number\": \"...\"}");
            return;
        }
        for (String key : body.fieldNames()) {
            if (!FIELDS.contains(key)) {
                error(ctx, 400, "unknown field '" + AgiCalls.clip(key) + "'; expected " + FIELDS);
                return;
            }
        }
        String secretary;
        String number;
        try {
            secretary = text(body, "secretary");
            number = text(body, "number");
        } catch (CallbackException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        PendingCallback pending;
        try {
            pending = asterisk.callback(secretary, number);
        } catch (CallbackException e) {
            error(ctx, e.field() == null ? 503 : 400, e.getMessage());
            return;
        }
        JsonObject accepted = new JsonObject().put("id", pending.id()).put("secretary", pending.secretary())
                .put("endpoint", pending.endpoint()).put("number", pending.number())
                .put("state", "ringing-secretary").put("results", CallbackResult.ADDRESS);
        ctx.response().setStatusCode(202).putHeader("content-type", "application/json").end(accepted.encode());
    }

    private static String text(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) throw new CallbackException(field, "field '" + field + "' is missing");
        if (!(v instanceof String s)) throw new CallbackException(field, "field '" + field + "' must be a string");
        if (s.length() > 64) throw new CallbackException(field, "field '" + field + "' is longer than 64 characters");
        if (s.isBlank()) throw new CallbackException(field, "field '" + field + "' is empty");
        return s;
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
