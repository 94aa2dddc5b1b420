package de.vorzimmer.console;

import de.vorzimmer.book.Secretary;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.StatusService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Objects;

/**
 * What the console shows around the calls: which secretaries are on duty (and lets a secretary set herself on or off
 * duty, an admin anyone), and the server's settings the page needs ({@code smsSender}: whether urgent messages can go
 * out by SMS at all). A duty change goes into the routing snapshot at once: the next screened call rings only those on
 * duty. AMI device state records duty too (a phone that goes offline is off duty); the newest change wins.
 */
public final class DeskApi {
    private final Vertx vertx;
    private final LiveRouting routing;
    private final StatusService status;
    private final boolean smsSender;

    /**
     * @param status    where duty changes go (live for routing at once)
     * @param smsSender whether an SMS sender is configured (the outbox sends urgent messages)
     */
    public DeskApi(Vertx vertx, LiveRouting routing, StatusService status, boolean smsSender) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.status = Objects.requireNonNull(status, "status == null");
        this.smsSender = smsSender;
    }

    public void mount(Router router) {
        router.get("/api/v1/console/settings").handler(this::settings);
        router.get("/api/v1/duty").handler(this::list);
        router.put("/api/v1/duty/:secretary").handler(BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY))
                .handler(this::set);
    }

    private void settings(RoutingContext ctx) {
        ConsoleApi.json(ctx, 200, new JsonObject().put("smsSender", smsSender));
    }

    private void list(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        JsonArray out = new JsonArray();
        var snapshot = routing.snapshot();
        for (Secretary s : snapshot.book().secretaries()) {
            out.add(new JsonObject().put("id", s.id()).put("name", s.name() == null ? s.id() : s.name())
                    .put("onDuty", !snapshot.offDuty().contains(s.id())).put("me", s.id().equals(p.secretaryId())));
        }
        ConsoleApi.json(ctx, 200, new JsonObject().put("secretaries", out));
    }

    private void set(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        String id = ctx.pathParam("secretary");
        if (routing.snapshot().book().secretaries().stream().noneMatch(s -> s.id().equals(id))) {
            throw new ApiException(404, "secretary-unknown", "no secretary '" + id + "' in the book");
        }
        if (!p.isAdmin() && !id.equals(p.secretaryId())) {
            throw new ApiException(403, "duty-not-yours", "a secretary sets only her own duty");
        }
        Object on = HttpApi.jsonBody(ctx).getValue("onDuty");
        if (!(on instanceof Boolean onDuty)) throw ApiException.field("field-invalid", "onDuty", "field 'onDuty' must be true or false");
        Instant at = routing.now();
        vertx.executeBlocking(() -> {
            status.setDuty(id, onDuty, at, "console:" + p.username());
            return null;
        }, false).onFailure(ctx::fail).onSuccess(v -> ConsoleApi.json(ctx, 200,
                new JsonObject().put("id", id).put("onDuty", onDuty).put("at", at.toString())));
    }
}
