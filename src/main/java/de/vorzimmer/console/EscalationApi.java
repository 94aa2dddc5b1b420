package de.vorzimmer.console;

import de.vorzimmer.escalation.EscalationView;
import de.vorzimmer.escalation.Escalations;
import de.vorzimmer.store.StateConflictException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The escalation chains of urgent messages for the console: who was tried, when, how each step ended, who
 * confirmed; and the secretary's stop and restart. Behind the {@code /api/v1} guard (sessions need the CSRF token
 * for the POSTs, as everywhere).
 * <pre>
 * GET  /api/v1/escalations?state=open|all&amp;limit=N   newest first (open: not confirmed)
 * GET  /api/v1/escalations/{message id}
 * POST /api/v1/escalations/{message id}/stop           nothing further is placed
 * POST /api/v1/escalations/{message id}/restart        the first person on call is called at once (409 if confirmed)
 * </pre>
 */
public final class EscalationApi {
    public static final String PATH = "/api/v1/escalations";
    static final int MAX_LIMIT = 500;

    private final Vertx vertx;
    private final Escalations escalations;

    public EscalationApi(Vertx vertx, Escalations escalations) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
    }

    public void mount(Router router) {
        router.get(PATH).handler(this::list);
        router.get(PATH + "/:id").handler(this::get);
        router.post(PATH + "/:id/stop").handler(this::stop);
        router.post(PATH + "/:id/restart").handler(this::restart);
        router.route(PATH + "*").failureHandler(HttpApi::failure);
    }

    private void list(RoutingContext ctx) {
        String state = ctx.request().getParam("state", "open");
        if (!state.equals("open") && !state.equals("all")) {
            throw ApiException.badRequest("parameter 'state' = '" + clip(state) + "': expected open or all");
        }
        int limit = limit(ctx);
        blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            for (EscalationView v : escalations.list(state.equals("open"), limit)) out.add(v.toJson());
            return out.encode();
        });
    }

    private void get(RoutingContext ctx) {
        long id = id(ctx);
        blocking(ctx, () -> found(escalations.get(id), id));
    }

    private void stop(RoutingContext ctx) {
        long id = id(ctx);
        String by = by(ctx);
        blocking(ctx, () -> found(escalations.stop(id, by), id));
    }

    private void restart(RoutingContext ctx) {
        long id = id(ctx);
        String by = by(ctx);
        blocking(ctx, () -> {
            try {
                return found(escalations.restart(id, by), id);
            } catch (StateConflictException e) {
                throw new ApiException(409, e.getMessage());
            }
        });
    }

    private static String found(Optional<EscalationView> v, long id) {
        return v.orElseThrow(() -> new ApiException(404, "no escalation for message " + id)).toJson().encode();
    }

    private static String by(RoutingContext ctx) {
        Principal p = ctx.get(Principal.KEY);
        return p == null ? "api" : p.username();
    }

    private static long id(RoutingContext ctx) {
        String s = ctx.pathParam("id");
        if (s == null || !s.matches("[0-9]{1,18}")) throw ApiException.badRequest("'" + clip(s) + "' is not a message id");
        return Long.parseLong(s);
    }

    private static int limit(RoutingContext ctx) {
        String s = ctx.request().getParam("limit", "50");
        if (!s.matches("[0-9]{1,4}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > MAX_LIMIT) {
            throw ApiException.badRequest("parameter 'limit' = '" + clip(s) + "': expected 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(s);
    }

    private static String clip(String s) {
        if (s == null) return "";
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private void blocking(RoutingContext ctx, Callable<String> work) {
        vertx.executeBlocking(work, false).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
            } else {
                ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(r.result());
            }
        });
    }
}
