package de.vorzimmer.console;

import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import de.vorzimmer.routing.LiveRouting;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import de.vorzimmer.http.Bodies;
import de.vorzimmer.http.Refusal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: health and routing, and the one place where every {@code /api/v1} route is put behind the
 * authentication guard. The guard is installed before any API route, so routes mounted later on the same router
 * (messages, callbacks, the console's) are covered without doing anything. One handler method per route.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** API bodies are small JSON documents; anything larger is refused before it is read whole. */
    public static final long MAX_BODY = 64 * 1024;
    /** The admin's book upload ({@code PUT /api/v1/admin/book}): a whole firm's book. */
    public static final long MAX_BOOK_BODY = 4L * 1024 * 1024;
    public static final String BOOK_PATH = "/api/v1/admin/book";

    private final LiveRouting routing;
    private final Handler<RoutingContext> guard;

    /** @param guard authenticates every {@code /api/v1} request (see {@link AuthHandler}) */
    public HttpApi(LiveRouting routing, Handler<RoutingContext> guard) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.guard = Objects.requireNonNull(guard, "guard == null");
    }

    /** Mount this first: it installs the guard in front of {@code /api/v1/*} before any API route exists. */
    public void mount(Router router) {
        router.route().handler(HttpApi::commonHeaders);
        router.get("/health").handler(this::health);
        // The body is read before the (asynchronous) guard runs, so it is not lost while the session is looked up.
        // the book editor's upload is the one larger body: read first with its own limit (a body is read once)
        router.put(BOOK_PATH).handler(Bodies.upTo(MAX_BOOK_BODY));
        router.route("/api/v1/*").handler(Bodies.upTo(MAX_BODY)).handler(guard);
        router.route("/api/*").failureHandler(HttpApi::failure);
        router.post("/api/v1/route").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::route);
    }

    private static void commonHeaders(RoutingContext ctx) {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }

    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        mount(r);
        return r;
    }

    private void health(RoutingContext ctx) {
        var book = routing.snapshot().book().book();
        JsonObject body = new JsonObject().put("status", "ok").put("clients", book.clients().size())
                .put("secretaries", book.secretaries().size());
        ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }

    private void route(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        RouteRequest req = RouteRequest.parse(body, routing.now());
        // a dry run: nothing is placed, so nothing goes into the call log (which counts calls, e.g. for billing)
        Decision d = routing.decide(req.call(), req.at());
        ctx.response().putHeader("content-type", "application/json").end(DecisionJson.write(d));
    }

    static JsonObject jsonBody(RoutingContext ctx) {
        String ct = ctx.request().getHeader("content-type");
        if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "json-required", "content-type must be application/json");
        }
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o == null) throw new ApiException(400, "body-not-json", "body is empty; expected a JSON object");
            return o;
        } catch (DecodeException | ClassCastException e) {
            throw new ApiException(400, "body-not-json", "body is not a JSON object");
        }
    }

    /** The error JSON: {@code error} (English), {@code code} (stable, the console translates it), {@code field}. */
    static void failure(RoutingContext ctx) {
        Refusal r = Refusal.of(ctx, MAX_BODY);
        if (r.internal()) LOG.error("api: {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        JsonObject body = new JsonObject().put("error", r.reason());
        if (ctx.failure() instanceof ApiException a) {
            body.put("code", a.code());
            if (a.field() != null) body.put("field", a.field());
        } else {
            body.put("code", ApiException.codeFor(r.status()));
        }
        ctx.response().setStatusCode(r.status()).putHeader("content-type", "application/json").end(body.encode());
    }
}
