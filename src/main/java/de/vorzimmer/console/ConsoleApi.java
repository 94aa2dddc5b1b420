package de.vorzimmer.console;

import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.calls.CallChoiceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The secretary's console: the static page under {@code /console/}, the login and the session; and the console's API
 * under {@code /api/v1} (which {@link HttpApi} has already put behind {@link AuthHandler}), one class per concern:
 * {@link CallsApi} (the live feed and the choices on ringing calls), {@link BoardApi} (the clients and their status),
 * {@link AdminApi} (book, users, API tokens). One handler method per route; blocking store work runs off the event
 * loop. The helpers every console route uses ({@link #json}, {@link #text}, {@link #optional}) live here.
 */
public final class ConsoleApi {

    private final Vertx vertx;
    private final ConsoleAuth auth;
    private final LiveRouting routing;
    private final BookStore books;
    private final StatusService status;
    private final CallChoiceStore choices;
    private final PinHasher pins;
    private final Runnable bookChanged;
    private final CallFeed feed;
    private final boolean secureCookies;

    /**
     * @param bookChanged reloads the routing snapshot from the store at once (the server's {@code StoreWatcher.refresh});
     *                blocking
     */
    public ConsoleApi(Vertx vertx, ConsoleAuth auth, LiveRouting routing, BookStore books, StatusService status,
                      CallChoiceStore choices, PinHasher pins, Runnable bookChanged, CallFeed feed, boolean secureCookies) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.auth = Objects.requireNonNull(auth, "auth == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.books = Objects.requireNonNull(books, "books == null");
        this.status = Objects.requireNonNull(status, "status == null");
        this.choices = Objects.requireNonNull(choices, "choices == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
        this.bookChanged = Objects.requireNonNull(bookChanged, "bookChanged == null");
        this.feed = Objects.requireNonNull(feed, "feed == null");
        this.secureCookies = secureCookies;
    }

    /** Mounts the page, the login and the console API. Call after {@link HttpApi#mount} (which installs the guard). */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY);
        router.get("/").handler(ctx -> ctx.redirect("/console/"));
        router.get("/console/lang.json").handler(this::language);
        // the console's files come from the jar only, never from a folder of the working directory
        router.route("/console/*").handler(ConsoleApi::pageHeaders).handler(new ConsolePage());
        router.post("/auth/login").handler(body).handler(this::login);
        router.route("/auth/*").failureHandler(HttpApi::failure);

        router.get("/api/v1/session").handler(this::session);
        router.delete("/api/v1/session").handler(this::logout);
        // the console's concerns, each in its own class: live calls, the client board, the admin's book, users, tokens
        new CallsApi(vertx, auth, choices, feed, routing).mount(router, body);
        new BoardApi(vertx, routing, status).mount(router, body);
        new AdminApi(vertx, auth, routing, books, pins, bookChanged).mount(router, body);
    }

    private static void pageHeaders(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                        + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                        + "form-action 'self'; base-uri 'none'")
                .putHeader("X-Frame-Options", "DENY");
        ctx.next();
    }

    // ---- public: language and login

    private void language(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("lang", Languages.pick(ctx.request().getHeader("Accept-Language")))
                .put("supported", new JsonArray(Languages.SUPPORTED)));
    }

    private void login(RoutingContext ctx) {
        // Login CSRF: a foreign page must not log the victim in under the attacker's account.
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        String origin = ctx.request().getHeader("Origin");
        if ((site != null && !site.equals("same-origin") && !site.equals("none"))
                || (origin != null && !AuthHandler.sameOrigin(origin, AuthHandler.host(ctx.request())))) {
            throw new ApiException(403, "cross-site", "cross-site login refused");
        }
        JsonObject b = HttpApi.jsonBody(ctx);
        String username = text(b, "username", 100);
        String password = text(b, "password", 200);
        String ua = ctx.request().getHeader("User-Agent");
        String address = remoteAddress(ctx);
        blocking(ctx, () -> auth.login(username, password, ua, address)).onSuccess(result -> {
            if (result instanceof ConsoleAuth.Locked locked) {
                long seconds = Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
                ctx.response().putHeader("Retry-After", Long.toString(seconds));
                json(ctx, 429, new JsonObject().put("code", "login-locked").put("error", "too many failed logins "
                        + (locked.scope() == LoginThrottle.Scope.USERNAME ? "for this username" : "from this address")
                        + "; try again in " + (seconds + 59) / 60 + " min").put("retryAfter", seconds));
                return;
            }
            if (!(result instanceof ConsoleAuth.Login login)) {
                json(ctx, 401, new JsonObject().put("code", "login-wrong").put("error", "wrong username or password"));
                return;
            }
            Cookie c = Cookie.cookie(AuthHandler.COOKIE, login.sessionId()).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(secureCookies);
            ctx.response().addCookie(c);
            json(ctx, 200, sessionJson(login.principal()));
        });
    }

    /** The TCP peer's address (behind a reverse proxy: the proxy's; see docs/console.md). */
    private static String remoteAddress(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        if (a == null) return "unknown";
        return a.hostAddress() != null ? a.hostAddress() : a.host();
    }

    // ---- session

    private void session(RoutingContext ctx) {
        json(ctx, 200, sessionJson(AuthHandler.principal(ctx)));
    }

    private JsonObject sessionJson(Principal p) {
        return new JsonObject().put("user", p.username()).put("name", p.displayName()).put("role", p.role().word())
                .put("secretary", p.secretaryId()).put("csrf", p.csrfToken());
    }

    private void logout(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        blocking(ctx, () -> {
            auth.logout(p);
            return null;
        }).onSuccess(v -> {
            ctx.response().addCookie(Cookie.cookie(AuthHandler.COOKIE, "").setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(secureCookies).setMaxAge(0));
            ctx.response().setStatusCode(204).end();
        });
    }

    // ---- helpers

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return blocking(vertx, ctx, work);
    }

    /** Runs blocking store work off the event loop; a failure is answered by the route's failure handler. */
    static <T> Future<T> blocking(Vertx vertx, RoutingContext ctx, Callable<T> work) {
        return vertx.executeBlocking(work, false).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    static String text(JsonObject b, String key, int max) {
        String s = optional(b, key, max);
        if (s == null || s.isBlank()) throw ApiException.field("field-missing", key, "field '" + key + "' is missing");
        return s;
    }

    static String optional(JsonObject b, String key, int max) {
        Object v = b.getValue(key);
        if (v == null) return null;
        if (!(v instanceof String s)) throw ApiException.field("field-invalid", key, "field '" + key + "' must be a string");
        if (s.length() > max) throw ApiException.field("field-too-long", key, "field '" + key + "' is longer than " + max + " characters");
        return s;
    }
}
