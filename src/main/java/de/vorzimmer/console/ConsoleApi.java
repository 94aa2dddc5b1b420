package de.vorzimmer.console;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookProblem;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.calls.CallChoices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secretary's console: the static page under {@code /console/}, the login, and the console's API under
 * {@code /api/v1} (which {@link HttpApi} has already put behind {@link AuthHandler}). One handler method per route;
 * blocking store work runs off the event loop.
 */
public final class ConsoleApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    static final long CHOICE_TIMEOUT_MS = 3_000;
    static final Set<String> CHOICES = Set.of("put-through", "message", "voicemail");

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
        router.get("/api/v1/events").handler(this::events);
        router.get("/api/v1/clients").handler(this::clients);
        router.post("/api/v1/clients/:id/status").handler(body).handler(this::setStatus);
        router.post("/api/v1/clients/:id/expect").handler(body).handler(this::expect);
        router.post("/api/v1/calls/:callId/choice").handler(body).handler(this::choose);
        router.get("/api/v1/admin/book").handler(this::getBook);
        router.put("/api/v1/admin/book").handler(BodyHandler.create(false).setBodyLimit(4L * 1024 * 1024))
                .handler(this::putBook);
        router.get("/api/v1/admin/users").handler(this::users);
        router.put("/api/v1/admin/users/:username").handler(body).handler(this::putUser);
        router.delete("/api/v1/admin/users/:username").handler(this::deleteUser);
        router.get("/api/v1/admin/tokens").handler(this::tokens);
        router.post("/api/v1/admin/tokens").handler(body).handler(this::createToken);
        router.delete("/api/v1/admin/tokens/:id").handler(this::revokeToken);
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

    // ---- live calls

    private void events(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache, no-store").putHeader("X-Accel-Buffering", "no");
        r.write("retry: 3000\n: connected\n\n");
        feed.listen(p, r);
    }

    private void choose(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        String callId = ctx.pathParam("callId");
        if (callId.length() > 200) throw ApiException.field("field-too-long", "callId", "call id longer than 200 characters");
        JsonObject b = HttpApi.jsonBody(ctx);
        String choice = text(b, "choice", 20);
        if (!CHOICES.contains(choice)) {
            throw ApiException.field("field-invalid", "choice", "field 'choice' = '" + choice + "', expected put-through, message or voicemail");
        }
        Instant at = routing.now();
        JsonObject request = new JsonObject().put("callId", callId).put("choice", choice).put("by", p.username())
                .put("secretary", p.secretaryId()).put("at", at.toString());
        // The PBX adapter owning the call (AMI, Twilio REST) replies once it redirected it, or refuses with a reason;
        // without a reply the choice is recorded, not carried out.
        vertx.eventBus().request(CallChoices.addressFor(callId), request, new DeliveryOptions().setSendTimeout(CHOICE_TIMEOUT_MS))
                .transform(ar -> Future.succeededFuture(ar.succeeded() ? null : notCarriedOut(ar.cause())))
                .compose(reason -> vertx.executeBlocking(() -> {
                    choices.add(callId, choice, p.username(), at, reason == null);
                    return reason;
                }, false))
                .onSuccess(reason -> {
                    LOG.info("call {}: {} chose {} ({})", callId, p.username(), choice,
                            reason == null ? "carried out" : "recorded only: " + reason);
                    request.put("carriedOut", reason == null);
                    if (reason != null) request.put("reason", reason);
                    json(ctx, 200, request);
                })
                .onFailure(ctx::fail);
    }

    /** Why a choice was not carried out: the adapter's refusal, or that no adapter answered. */
    static String notCarriedOut(Throwable t) {
        if (!(t instanceof ReplyException r)) return String.valueOf(t.getMessage());
        return switch (r.failureType()) {
            case NO_HANDLERS -> "no phone system connected that could redirect this call";
            case TIMEOUT -> "no phone system answered within " + CHOICE_TIMEOUT_MS / 1000 + " s";
            default -> String.valueOf(r.getMessage());
        };
    }

    // ---- client board

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

    // ---- admin: book

    private void getBook(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        blocking(ctx, books::currentVersion).onSuccess(v -> json(ctx, 200, new JsonObject()
                .put("version", v.map(BookStore.Version::id).orElse(0L))
                .put("loadedAt", v.map(x -> x.loadedAt().toString()).orElse(null))
                .put("source", v.map(BookStore.Version::source).orElse(null))
                .put("yaml", v.map(BookStore.Version::yaml).orElse("version: 1\nsecretaries: []\nclients: []\n"))));
    }

    private void putBook(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        Principal p = AuthHandler.principal(ctx);
        JsonObject b = HttpApi.jsonBody(ctx);
        Object yaml = b.getValue("yaml");
        if (!(yaml instanceof String text)) throw ApiException.field("field-invalid", "yaml", "field 'yaml' must be the book as a string");
        blocking(ctx, () -> {
            Book book;
            try {
                book = BookLoader.load(text, pins);
            } catch (BookException e) {
                return new JsonObject().put("problems", problems(e));
            }
            long version = books.save(book, "console:" + p.username(), routing.now());
            bookChanged.run();
            return new JsonObject().put("version", version).put("clients", book.clients().size())
                    .put("secretaries", book.secretaries().size());
        }).onSuccess(r -> {
            if (r.containsKey("problems")) {
                json(ctx, 422, r.put("code", "book-rejected").put("error", "book rejected, nothing changed: " + r.getJsonArray("problems").size()
                        + " problem(s)"));
            } else {
                LOG.info("console: {} stored book version {}", p.username(), r.getLong("version"));
                json(ctx, 200, r);
            }
        });
    }

    private static JsonArray problems(BookException e) {
        JsonArray out = new JsonArray();
        for (BookProblem pr : e.problems()) {
            out.add(new JsonObject().put("where", pr.where()).put("field", pr.field()).put("value", pr.value())
                    .put("why", pr.why()).put("text", pr.toString()).put("code", pr.code())
                    .put("line", pr.line() == 0 ? null : pr.line()));
        }
        return out;
    }

    // ---- admin: users and tokens

    private void users(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        blocking(ctx, () -> auth.users().all()).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (ConsoleUser u : list) out.add(userJson(u));
            json(ctx, 200, new JsonObject().put("users", out));
        });
    }

    private static JsonObject userJson(ConsoleUser u) {
        return new JsonObject().put("username", u.username()).put("role", u.role().word())
                .put("secretary", u.secretaryId()).put("name", u.displayName()).put("disabled", u.disabled())
                .put("changedAt", u.changedAt().toString());
    }

    private void putUser(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        Principal p = AuthHandler.principal(ctx);
        String username = ctx.pathParam("username");
        if (!ConsoleUser.USERNAME.matcher(username).matches()) {
            throw ApiException.field("username-invalid", "username", "username '" + username + "' must be 1-64 characters of a-z, 0-9, '.', '_', '-'");
        }
        JsonObject b = HttpApi.jsonBody(ctx);
        Role role;
        try {
            role = Role.parse(optional(b, "role", 20) == null ? "secretary" : optional(b, "role", 20));
        } catch (IllegalArgumentException e) {
            throw ApiException.field("field-invalid", "role", "field 'role': " + e.getMessage());
        }
        String secretary = optional(b, "secretary", 100);
        if (secretary != null && secretary.isBlank()) secretary = null;
        if (secretary != null) {
            String sid = secretary;
            if (routing.snapshot().book().secretaries().stream().noneMatch(s -> s.id().equals(sid))) {
                throw ApiException.field("secretary-unknown", "secretary", "field 'secretary' = '" + sid + "' is no secretary in the book");
            }
        }
        String name = optional(b, "name", 200);
        String password = optional(b, "password", 200);
        Object disabledValue = b.getValue("disabled");
        if (disabledValue != null && !(disabledValue instanceof Boolean)) {
            throw ApiException.field("field-invalid", "disabled", "field 'disabled' must be true or false");
        }
        boolean disabled = Boolean.TRUE.equals(disabledValue);
        if (username.equals(p.username()) && (disabled || role != Role.ADMIN)) {
            throw new ApiException(400, "self-change-refused", "you cannot disable yourself or take away your own admin rights");
        }
        String sec = secretary;
        blocking(ctx, () -> auth.setUser(username, role, sec, name, password, disabled))
                .onSuccess(u -> json(ctx, 200, userJson(u)));
    }

    private void deleteUser(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        String username = ctx.pathParam("username");
        if (username.equals(AuthHandler.principal(ctx).username())) throw new ApiException(400, "self-change-refused", "you cannot remove yourself");
        blocking(ctx, () -> auth.deleteUser(username)).onSuccess(found -> {
            if (!found) json(ctx, 404, new JsonObject().put("code", "user-unknown").put("error", "no user '" + username + "'"));
            else ctx.response().setStatusCode(204).end();
        });
    }

    private void tokens(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        blocking(ctx, () -> auth.tokens().all()).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (var t : list) {
                out.add(new JsonObject().put("id", t.id()).put("name", t.name()).put("createdAt", t.createdAt().toString())
                        .put("createdBy", t.createdBy()).put("lastUsedAt", ClientJson.str(t.lastUsedAt()))
                        .put("revokedAt", ClientJson.str(t.revokedAt())));
            }
            json(ctx, 200, new JsonObject().put("tokens", out));
        });
    }

    private void createToken(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        Principal p = AuthHandler.principal(ctx);
        String name = text(HttpApi.jsonBody(ctx), "name", 100);
        blocking(ctx, () -> auth.createToken(name, p.username())).onSuccess(t -> json(ctx, 201, new JsonObject()
                .put("id", t.id()).put("name", name).put("token", t.token())));
    }

    private void revokeToken(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.field("field-invalid", "id", "token id '" + ctx.pathParam("id") + "' is not a number");
        }
        blocking(ctx, () -> auth.revokeToken(id)).onSuccess(found -> {
            if (!found) json(ctx, 404, new JsonObject().put("code", "token-unknown").put("error", "no valid token " + id));
            else ctx.response().setStatusCode(204).end();
        });
    }

    // ---- helpers

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
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
