package de.vorzimmer.usage;

import de.vorzimmer.book.Book;
import de.vorzimmer.console.ApiException;
import de.vorzimmer.console.AuthHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/usage?month=2026-12[&client=ID][&format=csv]}: what each client's calls cost in a month, for
 * the admin (JSON for the console's chart, or CSV). Behind the {@code /api/v1} guard like every API route; its
 * refusals are answered there too.
 */
public final class UsageApi {
    private static final Set<String> PARAMETERS = Set.of("month", "client", "format");

    private final Vertx vertx;
    private final UsageCounter counter;
    private final Supplier<Book> book;
    private final Duration step;
    private final Clock clock;

    public UsageApi(Vertx vertx, UsageCounter counter, Supplier<Book> book, Duration step, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.counter = Objects.requireNonNull(counter, "counter == null");
        this.book = Objects.requireNonNull(book, "book == null");
        this.step = Objects.requireNonNull(step, "step == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public void mount(Router router) {
        router.get("/api/v1/usage").handler(this::usage);
    }

    private void usage(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        for (String name : ctx.queryParams().names()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.field("field-unknown", name, "unknown parameter '" + name + "'; expected month, client, format");
            }
        }
        Book b = book.get();
        YearMonth month = month(ctx.request().getParam("month"), b);
        String client = ctx.request().getParam("client");
        if (client != null && client.isEmpty()) client = null;
        if (client != null && b.clients().stream().noneMatch(c -> c.id().equals(ctx.request().getParam("client")))) {
            throw new ApiException(404, "client-unknown", "no client '" + client + "'");
        }
        String format = ctx.request().getParam("format") == null ? "json" : ctx.request().getParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiException.field("field-invalid", "format", "parameter 'format' = '" + format + "', expected json or csv");
        }
        String only = client;
        vertx.executeBlocking(() -> counter.month(month, only, step, b), false).onFailure(ctx::fail).onSuccess(r -> {
            if (format.equals("csv")) {
                ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"vorzimmer-usage-" + month
                                + (only == null ? "" : "-" + only) + ".csv\"")
                        .putHeader("Cache-Control", "no-store").end(UsageCsv.write(r));
            } else {
                ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                        .putHeader("Cache-Control", "no-store").end(json(r).encode());
            }
        });
    }

    private YearMonth month(String text, Book b) {
        if (text == null || text.isEmpty()) return YearMonth.now(clock.withZone(b.defaults().timezone()));
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.field("field-invalid", "month", "parameter 'month' = '" + text + "' is not a month like 2026-12");
        }
    }

    static JsonObject json(UsageReport r) {
        JsonArray clients = new JsonArray();
        for (ClientUsage u : r.clients()) {
            clients.add(new JsonObject().put("client", u.client()).put("name", u.name()).put("calls", u.calls())
                    .put("secretaryCalls", u.secretaryCalls()).put("secretarySeconds", u.secretarySeconds())
                    .put("putThroughs", u.putThroughs()).put("messages", u.messages())
                    .put("urgentNotifications", u.urgentNotifications()));
        }
        JsonArray days = new JsonArray();
        for (UsageReport.Day d : r.days()) {
            days.add(new JsonObject().put("day", d.day()).put("calls", d.calls()).put("secretarySeconds", d.secretarySeconds()));
        }
        return new JsonObject().put("month", r.month().toString()).put("stepSeconds", r.step().toSeconds())
                .put("clients", clients).put("days", days);
    }
}
