package de.vorzimmer.console;

import static de.vorzimmer.console.ConsoleApi.json;
import static de.vorzimmer.console.ConsoleApi.optional;
import static de.vorzimmer.console.ConsoleApi.text;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookProblem;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.LiveRouting;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's part of the console: the book (read, and stored as a new version after every check), the console users
 * and the API tokens. Every route requires the admin role.
 */
final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final Vertx vertx;
    private final ConsoleAuth auth;
    private final LiveRouting routing;
    private final BookStore books;
    private final PinHasher pins;
    private final Runnable bookChanged;

    /** @param bookChanged reloads the routing snapshot from the store at once; blocking */
    AdminApi(Vertx vertx, ConsoleAuth auth, LiveRouting routing, BookStore books, PinHasher pins, Runnable bookChanged) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.auth = Objects.requireNonNull(auth, "auth == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.books = Objects.requireNonNull(books, "books == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
        this.bookChanged = Objects.requireNonNull(bookChanged, "bookChanged == null");
    }

    void mount(Router router, Handler<RoutingContext> body) {
        router.get("/api/v1/admin/book").handler(this::getBook);
        router.put(HttpApi.BOOK_PATH).handler(this::putBook); // its body is read by HttpApi, up to MAX_BOOK_BODY
        router.get("/api/v1/admin/users").handler(this::users);
        router.put("/api/v1/admin/users/:username").handler(body).handler(this::putUser);
        router.delete("/api/v1/admin/users/:username").handler(this::deleteUser);
        router.get("/api/v1/admin/tokens").handler(this::tokens);
        router.post("/api/v1/admin/tokens").handler(body).handler(this::createToken);
        router.delete("/api/v1/admin/tokens/:id").handler(this::revokeToken);
    }

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

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return ConsoleApi.blocking(vertx, ctx, work);
    }
}
