package de.vorzimmer.console;

import static de.vorzimmer.console.ConsoleApi.json;
import static de.vorzimmer.console.ConsoleApi.optional;
import static de.vorzimmer.console.ConsoleApi.text;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.StatusService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The console's client board: every client with the status in force ({@code GET /api/v1/clients}), and a status or an
 * expected caller set from the console ({@code POST /api/v1/clients/:id/status}, {@code .../expect}) through the one
 * {@link StatusService}.
 */
final class BoardApi {
    private final Vertx vertx;
    private final LiveRouting routing;
    private final StatusService status;

    BoardApi(Vertx vertx, LiveRouting routing, StatusService status) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.status = Objects.requireNonNull(status, "status == null");
    }

    void mount(Router router, Handler<RoutingContext> body) {
        router.get("/api/v1/clients").handler(this::clients);
        router.post("/api/v1/clients/:id/status").handler(body).handler(this::setStatus);
        router.post("/api/v1/clients/:id/expect").handler(body).handler(this::expect);
    }

    private void clients(RoutingContext ctx) {
        RoutingSnapshot s = routing.snapshot();
        Instant now = routing.now();
        JsonArray out = new JsonArray();
        s.book().clients().stream().map(BookIndex.ClientEntry::client)
                .sorted(Comparator.comparing(c -> c.name().toLowerCase(Locale.ROOT)))
                .forEach(c -> out.add(ClientJson.boardLine(c, s, now)));
        JsonArray secretaries = new JsonArray();
        s.book().secretaries().forEach(x -> secretaries.add(x.id()));
        json(ctx, 200, new JsonObject().put("at", now.toString()).put("clients", out).put("secretaries", secretaries));
    }

    private void setStatus(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        Client c = client(ctx);
        JsonObject b = HttpApi.jsonBody(ctx);
        OverrideKind kind;
        try {
            kind = OverrideKind.parse(text(b, "status", 20));
        } catch (IllegalArgumentException e) {
            throw ApiException.field("field-invalid", "status", "field 'status': " + e.getMessage());
        }
        if (kind == OverrideKind.EXPECT) throw ApiException.field("field-invalid", "status", "use /expect to expect a caller");
        Instant now = routing.now();
        Instant until = until(b, c.timezone(), now);
        String note = optional(b, "note", 500);
        addOverride(ctx, new Override(0, c.id(), kind, null, now, until, note, "console:" + p.username()), c);
    }

    private void expect(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        Client c = client(ctx);
        JsonObject b = HttpApi.jsonBody(ctx);
        String number = text(b, "number", 40);
        NumberPattern pattern;
        try {
            pattern = PhoneNumbers.toPattern(number, c.region());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("number-unreadable", "number", "field 'number' = '" + number + "' is not a phone number: " + e.getMessage());
        }
        Instant now = routing.now();
        Instant until = until(b, c.timezone(), now);
        String note = optional(b, "note", 500);
        addOverride(ctx, new Override(0, c.id(), OverrideKind.EXPECT, pattern, now, until, note, "console:" + p.username()), c);
    }

    private void addOverride(RoutingContext ctx, Override o, Client c) {
        blocking(ctx, () -> status.set(o)).onSuccess(stored -> {
            RoutingSnapshot s = routing.snapshot();
            BookIndex.ClientEntry e = s.book().client(c.id());
            json(ctx, 201, new JsonObject().put("override", stored.id())
                    .put("client", ClientJson.boardLine(e == null ? c : e.client(), s, routing.now())));
        });
    }

    private Client client(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        BookIndex.ClientEntry e = routing.snapshot().book().client(id);
        if (e == null) throw new ApiException(404, "client-unknown", "no client '" + id + "'");
        return e.client();
    }

    /** {@code until}: absent or null (until replaced), an ISO instant, or a local date-time in the client's zone. */
    static Instant until(JsonObject b, ZoneId zone, Instant now) {
        String text = optional(b, "until", 40);
        if (text == null || text.isBlank()) return null;
        Instant t;
        try {
            t = Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                t = LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.field("field-invalid", "until", "field 'until' = '" + text
                        + "' is neither an ISO instant (2026-11-30T14:00:00Z) nor a local time (2026-11-30T15:00)");
            }
        }
        if (!t.isAfter(now)) throw ApiException.field("until-past", "until", "field 'until' = '" + text + "' is not in the future");
        return t;
    }

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return ConsoleApi.blocking(vertx, ctx, work);
    }
}
