package de.vorzimmer.console;

import static de.vorzimmer.console.ConsoleApi.json;
import static de.vorzimmer.console.ConsoleApi.text;

import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.calls.CallChoices;
import de.vorzimmer.routing.LiveRouting;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's live calls: the feed of ringing calls ({@code GET /api/v1/events}, server-sent events) and a
 * secretary's choice on one ({@code POST /api/v1/calls/:callId/choice}): the first choice takes the call for her (the
 * database decides between secretaries and nodes), then the PBX adapter owning the call carries it out.
 */
final class CallsApi {
    private static final Logger LOG = LoggerFactory.getLogger(CallsApi.class);
    static final long CHOICE_TIMEOUT_MS = 3_000;
    static final Set<String> CHOICES = Set.of("put-through", "message", "voicemail");

    private final Vertx vertx;
    private final ConsoleAuth auth;
    private final CallChoiceStore choices;
    private final CallFeed feed;
    private final LiveRouting routing;

    CallsApi(Vertx vertx, ConsoleAuth auth, CallChoiceStore choices, CallFeed feed, LiveRouting routing) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.auth = Objects.requireNonNull(auth, "auth == null");
        this.choices = Objects.requireNonNull(choices, "choices == null");
        this.feed = Objects.requireNonNull(feed, "feed == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
    }

    void mount(Router router, Handler<RoutingContext> body) {
        router.get("/api/v1/events").handler(this::events);
        router.post("/api/v1/calls/:callId/choice").handler(body).handler(this::choose);
    }

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
                .put("byName", p.displayName()).put("secretary", p.secretaryId()).put("at", at.toString());
        // The first choice on a call wins (the database guards it, for every node); every console hears who took it.
        vertx.executeBlocking(() -> choices.claim(callId, choice, p.username(), at).map(first -> new JsonObject()
                .put("code", "call-taken").put("error", "call " + callId + " was taken by " + first.by() + " (" + first.choice() + ")")
                .put("callId", callId).put("by", first.by()).put("byName", nameOf(first.by()))
                .put("choice", first.choice()).put("at", first.at().toString())), false).onSuccess(taken -> {
            if (taken.isPresent()) {
                LOG.info("call {}: {} chose {}, refused: taken by {} ({})", callId, p.username(), choice,
                        taken.get().getString("by"), taken.get().getString("choice"));
                json(ctx, 409, taken.get());
                return;
            }
            vertx.eventBus().publish(CallFeed.CLAIMS, new JsonObject().put("callId", callId).put("state", "claimed")
                    .put("choice", choice).put("by", p.username()).put("byName", p.displayName())
                    .put("secretary", p.secretaryId()).put("at", at.toString()));
            carryOut(ctx, p, callId, choice, at, request);
        }).onFailure(ctx::fail);
    }

    /**
     * Asks the PBX adapter owning the call (AMI, Twilio REST) to carry the choice out; it replies once it redirected
     * the call, or refuses with a reason (then the call is given back for another choice). Without a reply the choice
     * is recorded, not carried out, and stays taken. When no node can carry it out now (an Asterisk call while no node
     * holds the PBX's lease) the answer is {@code 503 pbx-unavailable} and the call is given back.
     */
    private void carryOut(RoutingContext ctx, Principal p, String callId, String choice, Instant at, JsonObject request) {
        vertx.eventBus().<JsonObject>request(CallChoices.addressFor(callId), request,
                        new DeliveryOptions().setSendTimeout(CHOICE_TIMEOUT_MS))
                .transform(ar -> Future.succeededFuture(ar.succeeded() ? new Outcome(null, null, false, false, ar.result().body())
                        : new Outcome(notCarriedOut(ar.cause()), reasonCode(ar.cause()), refusedByPbx(ar.cause()),
                                unavailable(ar.cause()), null)))
                .compose(outcome -> vertx.executeBlocking(() -> {
                    choices.add(callId, choice, p.username(), at, outcome.reason() == null);
                    if (outcome.refused()) choices.release(callId, p.username());
                    return outcome;
                }, false))
                .onSuccess(outcome -> {
                    String reason = outcome.reason();
                    LOG.info("call {}: {} chose {} ({})", callId, p.username(), choice,
                            reason == null ? "carried out" : "recorded only: " + reason);
                    if (outcome.refused()) {
                        vertx.eventBus().publish(CallFeed.CLAIMS, new JsonObject().put("callId", callId)
                                .put("state", "released").put("by", p.username()));
                    }
                    if (outcome.unavailable()) {
                        json(ctx, 503, new JsonObject().put("code", "pbx-unavailable").put("error", reason)
                                .put("callId", callId).put("choice", choice));
                        return;
                    }
                    request.put("carriedOut", reason == null);
                    if (reason != null) request.put("reason", reason).put("reasonCode", outcome.reasonCode());
                    if (outcome.reply() != null && outcome.reply().getString("done") != null) {
                        request.put("done", outcome.reply().getString("done"));
                    }
                    json(ctx, 200, request);
                })
                .onFailure(ctx::fail);
    }

    /**
     * @param reasonCode  why not, as a stable code the console translates ({@link #reasonCode}); null when carried out
     * @param refused     the PBX answered and refused (the call is given back); false when it did it or nobody answered
     * @param unavailable refused because no node can carry it out now
     * @param reply       the adapter's reply when it did it
     */
    private record Outcome(String reason, String reasonCode, boolean refused, boolean unavailable, JsonObject reply) {
    }

    /** Nobody could carry it out now (no node holds the PBX's lease): the choice may be made again later. */
    private static boolean unavailable(Throwable t) {
        return refusedByPbx(t) && ((ReplyException) t).failureCode() == CallChoices.UNAVAILABLE;
    }

    private static boolean refusedByPbx(Throwable t) {
        return t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE;
    }

    /** The display name of a console user (a secretary's name from the book), else the username. */
    private String nameOf(String username) {
        return auth.users().get(username).map(ConsoleUser::displayName).orElse(username);
    }

    /**
     * Why a choice was not carried out, as a stable code for the console's own words ({@code reason} keeps the detail
     * in English, for the log and the operator): {@code no-pbx} (no adapter for the call), {@code pbx-timeout} (no
     * answer in time), {@code pbx-refused} (the phone system refused: the call no longer rings, no client, no reach
     * number), {@code pbx-failed} (it could not redirect, e.g. Twilio's API failed).
     */
    static String reasonCode(Throwable t) {
        if (!(t instanceof ReplyException r)) return "pbx-failed";
        return switch (r.failureType()) {
            case NO_HANDLERS -> "no-pbx";
            case TIMEOUT -> "pbx-timeout";
            default -> r.failureCode() >= 500 ? "pbx-failed" : "pbx-refused";
        };
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
}
