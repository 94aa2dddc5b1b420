package de.vorzimmer.console;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageRejected;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.notify.NotificationState;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.store.StateConflictException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The messages API: list and take messages, change their state, see the SMS outbox. One handler per route;
 * bodies are JSON up to {@link HttpApi#MAX_BODY}; every refusal is {@code {"error": "..."}} naming the field, and
 * nothing is stored on any error (input is checked before the one write transaction). JDBC runs in
 * {@code executeBlocking}, never on the event loop.
 *
 * <p>Every route sits behind the API's guard ({@link HttpApi} puts it in front of {@code /api/v1/*}): who changes a
 * message's state is the signed-in user or the API token's name, never what a body says.
 */
public final class MessagesApi {
    private static final Set<String> POST_FIELDS = Set.of("client", "caller_number", "caller_name", "text", "urgent",
            "callback", "intake", "line");
    private static final int MAX_NAME = 200;
    private static final int MAX_NUMBER = 40;

    private final Vertx vertx;
    private final MessageDesk desk;
    private final MessageStore messages;
    private final OutboxStore outbox;
    private final Clock clock;

    public MessagesApi(Vertx vertx, MessageDesk desk, MessageStore messages, OutboxStore outbox, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.desk = Objects.requireNonNull(desk, "desk == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public void mount(Router router) {
        router.get("/api/v1/messages").handler(this::list);
        router.post("/api/v1/messages").handler(BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY)).handler(this::create);
        router.get("/api/v1/messages/:id").handler(this::get);
        router.post("/api/v1/messages/:id/state").handler(BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY))
                .handler(this::changeState);
        router.get("/api/v1/outbox").handler(this::listOutbox);
        router.route("/api/v1/messages*").failureHandler(HttpApi::failure);
        router.route("/api/v1/outbox*").failureHandler(HttpApi::failure);
    }

    private void list(RoutingContext ctx) {
        MessageFilter filter = filter(ctx);
        blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            for (Message m : messages.list(filter)) out.add(m.toJson());
            return out.encode();
        }, 200);
    }

    private void get(RoutingContext ctx) {
        long id = id(ctx);
        blocking(ctx, () -> {
            Message m = messages.get(id).orElseThrow(() -> new ApiException(404, "message-unknown", "no message " + id));
            return detail(m).encode();
        }, 200);
    }

    private void create(RoutingContext ctx) {
        NewMessage in = parse(HttpApi.jsonBody(ctx));
        blocking(ctx, () -> {
            try {
                return detail(desk.take(in)).encode();
            } catch (MessageRejected e) {
                throw ApiException.field(e.field().startsWith("intake.") ? "intake-rejected" : e.field().equals("client")
                        ? "client-unknown" : "field-invalid", e.field(), "field '" + e.field() + "': " + e.getMessage());
            }
        }, 201);
    }

    private void changeState(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject body = HttpApi.jsonBody(ctx);
        for (String key : body.fieldNames()) {
            if (!key.equals("state") && !key.equals("by")) throw ApiException.field("field-unknown", key, "unknown field '" + key + "'; expected state, by");
        }
        String stateText = text(body, "state", true, 20);
        MessageState state;
        try {
            state = MessageState.parse(stateText);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("field-invalid", "state", "field 'state': " + e.getMessage());
        }
        // the signed-in user (or API token) is who changed it; a "by" in the body (older consoles sent it) says nothing
        String by = AuthHandler.principal(ctx).username();
        Instant at = clock.instant();
        blocking(ctx, () -> {
            try {
                Message m = messages.setState(id, state, by, at).orElseThrow(() -> new ApiException(404, "message-unknown", "no message " + id));
                return detail(m).encode();
            } catch (StateConflictException e) {
                throw new ApiException(409, "state-conflict", e.getMessage());
            }
        }, 200);
    }

    private void listOutbox(RoutingContext ctx) {
        String stateText = ctx.request().getParam("state");
        NotificationState state = null;
        if (stateText != null) {
            try {
                state = NotificationState.parse(stateText);
            } catch (IllegalArgumentException e) {
                throw ApiException.field("field-invalid", "state", "parameter 'state': " + e.getMessage());
            }
        }
        int limit = limit(ctx);
        NotificationState s = state;
        blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            for (Notification n : outbox.list(s, limit)) out.add(n.toJson());
            return out.encode();
        }, 200);
    }

    /** A message with its history and the notifications about it. Blocking. */
    private JsonObject detail(Message m) {
        JsonObject o = m.toJson();
        JsonArray history = new JsonArray();
        messages.history(m.id()).forEach(h -> history.add(new JsonObject().put("at", h.at().toString())
                .put("from", h.from() == null ? null : h.from().word()).put("to", h.to().word()).put("by", h.by())));
        JsonArray notifications = new JsonArray();
        outbox.forMessage(m.id()).forEach(n -> notifications.add(n.toJson()));
        return o.put("history", history).put("notifications", notifications);
    }

    private void blocking(RoutingContext ctx, Callable<String> work, int status) {
        vertx.executeBlocking(work, false).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
            } else {
                ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(r.result());
            }
        });
    }

    static NewMessage parse(JsonObject body) {
        for (String key : body.fieldNames()) {
            if (!POST_FIELDS.contains(key)) throw ApiException.field("field-unknown", key, "unknown field '" + key + "'; expected " + POST_FIELDS);
        }
        String client = text(body, "client", true, 100);
        String number = text(body, "caller_number", false, MAX_NUMBER);
        String name = text(body, "caller_name", false, MAX_NAME);
        String line = text(body, "line", false, MAX_NUMBER);
        String text = text(body, "text", true, MessageDesk.MAX_TEXT);
        if (number == null && name == null) {
            throw ApiException.field("field-missing", "caller_number", "field 'caller_number' is missing (give caller_number or caller_name)");
        }
        boolean urgent = bool(body, "urgent");
        boolean callback = bool(body, "callback");
        Map<String, String> intake = new LinkedHashMap<>();
        Object raw = body.getValue("intake");
        if (raw != null) {
            if (!(raw instanceof JsonObject o)) throw ApiException.field("field-invalid", "intake", "field 'intake' must be an object of texts");
            for (String k : o.fieldNames()) {
                Object v = o.getValue(k);
                if (!(v instanceof String s)) throw ApiException.field("field-invalid", "intake." + k, "field 'intake." + k + "' must be a string");
                intake.put(k, s);
            }
        }
        return new NewMessage(client, line, number, name, MessageKind.TYPED, text, null, urgent, callback, intake, null);
    }

    private static String text(JsonObject body, String key, boolean required, int max) {
        Object v = body.getValue(key);
        if (v == null) {
            if (required) throw ApiException.field("field-missing", key, "field '" + key + "' is missing");
            return null;
        }
        if (!(v instanceof String s)) throw ApiException.field("field-invalid", key, "field '" + key + "' must be a string");
        if (s.length() > max) throw ApiException.field("field-too-long", key, "field '" + key + "' is longer than " + max + " characters");
        if (s.isBlank()) {
            if (required) throw ApiException.field("field-missing", key, "field '" + key + "' is empty");
            return null;
        }
        return s.strip();
    }

    private static boolean bool(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw ApiException.field("field-invalid", key, "field '" + key + "' must be true or false");
        return b;
    }

    private static long id(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.field("field-invalid", "id", "message id '" + raw + "' is not a positive number");
        }
    }

    private static int limit(RoutingContext ctx) {
        String raw = ctx.request().getParam("limit");
        if (raw == null) return MessageFilter.DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > MessageFilter.MAX_LIMIT) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.field("field-invalid", "limit", "parameter 'limit' = '" + raw + "' is not a number 1.." + MessageFilter.MAX_LIMIT);
        }
    }

    private static MessageFilter filter(RoutingContext ctx) {
        for (String name : ctx.queryParams().names()) {
            if (!Set.of("client", "state", "urgent", "since", "limit").contains(name)) {
                throw ApiException.field("field-unknown", name, "unknown parameter '" + name + "'; expected client, state, urgent, since, limit");
            }
        }
        MessageFilter f = MessageFilter.all().limit(limit(ctx));
        String client = ctx.request().getParam("client");
        if (client != null) f = f.forClient(client);
        String state = ctx.request().getParam("state");
        if (state != null) {
            try {
                f = f.inState(MessageState.parse(state));
            } catch (IllegalArgumentException e) {
                throw ApiException.field("field-invalid", "state", "parameter 'state': " + e.getMessage());
            }
        }
        String urgent = ctx.request().getParam("urgent");
        if (urgent != null) {
            if (!urgent.equals("true") && !urgent.equals("false")) {
                throw ApiException.field("field-invalid", "urgent", "parameter 'urgent' = '" + urgent + "' is not true or false");
            }
            f = f.urgentOnly(Boolean.parseBoolean(urgent));
        }
        String since = ctx.request().getParam("since");
        if (since != null) {
            try {
                f = f.since(Instant.parse(since));
            } catch (DateTimeParseException e) {
                throw ApiException.field("field-invalid", "since", "parameter 'since' = '" + since + "' is not an ISO instant like 2026-11-30T08:00:00Z");
            }
        }
        return f;
    }
}
