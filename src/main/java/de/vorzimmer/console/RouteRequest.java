package de.vorzimmer.console;

import de.vorzimmer.routing.Call;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/route}: the same inputs as the {@code route} command,
 * {@code {"to": "...", "from": "...", "forwarded-from": "...", "at": "2026-11-30T08:00:00Z", "anonymous": false}}.
 */
record RouteRequest(Call call, Instant at) {
    private static final Set<String> FIELDS = Set.of("to", "from", "forwarded-from", "at", "anonymous");

    /** @throws ApiException 400 naming the field that is missing or wrong */
    static RouteRequest parse(JsonObject body, Instant now) {
        for (String key : body.fieldNames()) {
            if (!FIELDS.contains(key)) throw ApiException.field("field-unknown", key, "unknown field '" + key + "'; expected " + FIELDS);
        }
        String to = text(body, "to", true);
        String from = text(body, "from", false);
        String forwarded = text(body, "forwarded-from", false);
        Object anonymous = body.getValue("anonymous");
        if (anonymous != null && !(anonymous instanceof Boolean)) {
            throw ApiException.field("field-invalid", "anonymous", "field 'anonymous' must be true or false");
        }
        String atText = text(body, "at", false);
        Instant at = now;
        if (atText != null) {
            try {
                at = Instant.parse(atText);
            } catch (DateTimeParseException e) {
                throw ApiException.field("field-invalid", "at", "field 'at' = '" + atText + "' is not an ISO instant like 2026-11-30T08:00:00Z");
            }
        }
        boolean restricted = Boolean.TRUE.equals(anonymous);
        if (from == null && !restricted) throw ApiException.field("field-missing", "from", "field 'from' is missing (or set anonymous: true)");
        return new RouteRequest(new Call(to, restricted ? "" : from, forwarded, restricted, null), at);
    }

    private static String text(JsonObject body, String key, boolean required) {
        Object v = body.getValue(key);
        if (v == null) {
            if (required) throw ApiException.field("field-missing", key, "field '" + key + "' is missing");
            return null;
        }
        if (!(v instanceof String s)) throw ApiException.field("field-invalid", key, "field '" + key + "' must be a string");
        if (s.length() > 64) throw ApiException.field("field-too-long", key, "field '" + key + "' is longer than 64 characters");
        if (required && s.isBlank()) throw ApiException.field("field-missing", key, "field '" + key + "' is empty");
        return s;
    }
}
