package de.vorzimmer.twilio;


import de.vorzimmer.book.Action;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a secretary's choice on a live Twilio call (the console's put through / take a message / voicemail
 * buttons). The server registers it on the console's choice address for CallSids; the request body is
 * {@code {callId, choice, by, secretary, at}}.
 *
 * <p>{@code put-through} and {@code voicemail} redirect the call with Twilio's REST API ("update a call":
 * {@code Url} = {@value TwilioWebhooks#CHOICE_PATH}{@code ?choice=...} under the public URL, {@code Method} = POST,
 * and the static fallback TwiML as {@code FallbackUrl});
 * {@link TwilioWebhooks} answers that request with the TwiML. {@code message} needs nothing of Twilio (the
 * secretary answers and types it). The reply is {@code {"done": what was done}}; a refusal is a failure with the
 * reason: {@value #REFUSED} for an unknown choice, a call that is no longer ringing (by {@code twilio_calls}, or
 * Twilio answers 404 or error {@value #NOT_IN_PROGRESS}) or a put-through without a client reach, {@value #TWILIO_FAILED} when Twilio failed and
 * {@value #TOO_SLOW} when it did not answer within {@code replyWithin}, which is below the console's 3 s.
 *
 * <p>A call id that is not in {@code twilio_calls} gets no answer at all: it is not ours to refuse. Store and REST
 * work run off the event loop.
 */
public final class TwilioCallControl implements Handler<Message<JsonObject>> {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioCallControl.class);
    /** Connect and response time-out of the REST request (see {@code RedirectingHttpClient}). */
    public static final Duration REST_TIMEOUT = Duration.ofSeconds(2);
    /** The console waits 3 s for a reply; ours comes before that, carried out or not. */
    public static final Duration REPLY_WITHIN = Duration.ofMillis(2_500);
    static final int REFUSED = 409;
    static final int TWILIO_FAILED = 502;
    static final int TOO_SLOW = 504;
    /** Twilio's error code for a redirect of a call that has ended. */
    static final int NOT_IN_PROGRESS = 21220;
    private static final Set<String> CHOICES = Set.of("put-through", "message", "voicemail");

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final LiveRouting routing;
    private final TwilioCallStore calls;
    private final TwilioRestClient rest;
    private final Duration replyWithin;

    /**
     * @param rest        the SDK's REST client for the account (one request per call, time-outs below
     *                    {@code replyWithin}: {@code RedirectingHttpClient.restClient})
     * @param replyWithin how long after a request the reply is sent at the latest
     */
    public TwilioCallControl(Vertx vertx, TwilioSettings settings, LiveRouting routing, TwilioCallStore calls,
                             TwilioRestClient rest, Duration replyWithin) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.calls = Objects.requireNonNull(calls, "calls == null");
        this.rest = Objects.requireNonNull(rest, "rest == null");
        this.replyWithin = Objects.requireNonNull(replyWithin, "replyWithin == null");
        if (replyWithin.isNegative() || replyWithin.isZero()) {
            throw new IllegalArgumentException("replyWithin = " + replyWithin + ", expected a positive duration");
        }
    }

    /** What a choice comes to for a call we know: a redirect to {@code url}, or nothing for Twilio (url null). */
    record Plan(String callSid, String choice, String url, String done) {
    }

    /** A choice not carried out: the failure code of the reply and the reason. */
    static final class NotCarriedOut extends RuntimeException {
        private final int code;

        NotCarriedOut(int code, String reason) {
            super(reason);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    @Override
    public void handle(Message<JsonObject> msg) {
        long deadline = System.nanoTime() + replyWithin.toNanos();
        JsonObject body = msg.body();
        String callId = field(body, "callId");
        String choice = field(body, "choice");
        String by = field(body, "by");
        if (callId == null) {
            LOG.debug("twilio choice: request without a call id ignored");
            return;
        }
        vertx.executeBlocking(() -> plan(callId, choice), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(msg, callId, choice, ar.cause());
            } else if (ar.result().isEmpty()) {
                LOG.debug("twilio choice [call {}]: not a Twilio call we know, left to others", TwilioSignatureFilter.clip(callId));
            } else if (ar.result().get().url() == null) {
                done(msg, ar.result().get(), by);
            } else {
                redirect(msg, ar.result().get(), by, deadline);
            }
        });
    }

    /**
     * Checks the choice against the call as {@code twilio_calls} knows it; empty if the call is not there.
     * Blocking (JDBC).
     *
     * @throws NotCarriedOut for an unknown choice, a call no longer ringing, a put-through without a client reach
     */
    Optional<Plan> plan(String callSid, String choice) {
        Optional<CallRecord> found = calls.find(callSid);
        if (found.isEmpty()) return Optional.empty();
        CallRecord rec = found.get();
        if (choice == null || !CHOICES.contains(choice)) {
            throw new NotCarriedOut(REFUSED, "choice '" + (choice == null ? "" : TwilioSignatureFilter.clip(choice))
                    + "' is unknown, expected put-through, message or voicemail");
        }
        if (rec.outcome() != null) {
            throw new NotCarriedOut(REFUSED, "call " + callSid + " is no longer ringing (" + rec.outcome().word() + ")");
        }
        if (rec.stage() == Action.MESSAGE) {
            throw new NotCarriedOut(REFUSED, "call " + callSid + " is no longer ringing (the caller is leaving a message)");
        }
        return Optional.of(switch (choice) {
            case "message" -> new Plan(callSid, choice, null, "the secretary takes the message");
            case "voicemail" -> new Plan(callSid, choice, TwilioWebhooks.choiceUrl(settings, choice), "sent to voicemail");
            default -> new Plan(callSid, choice, TwilioWebhooks.choiceUrl(settings, choice),
                    "put through to " + reach(rec));
        });
    }

    private String reach(CallRecord rec) {
        if (rec.clientId() == null) {
            throw new NotCarriedOut(REFUSED, "call " + rec.callSid() + " is for no client (unknown line)");
        }
        BookIndex.ClientEntry e = routing.snapshot().book().client(rec.clientId());
        if (e == null) throw new NotCarriedOut(REFUSED, "client '" + rec.clientId() + "' is no longer in the book");
        if (e.client().reach() == null) {
            throw new NotCarriedOut(REFUSED, "client '" + rec.clientId() + "' has no reach number");
        }
        return e.client().reach();
    }

    /** Redirects the call and replies; if Twilio takes longer than the deadline, replies that it was not carried out. */
    private void redirect(Message<JsonObject> msg, Plan plan, String by, long deadline) {
        AtomicBoolean replied = new AtomicBoolean();
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        long timer = vertx.setTimer(left, id -> {
            if (replied.compareAndSet(false, true)) {
                fail(msg, plan.callSid(), plan.choice(), new NotCarriedOut(TOO_SLOW, "Twilio did not answer within "
                        + replyWithin.toMillis() + " ms; the call may still be redirected"));
            }
        });
        vertx.executeBlocking(() -> update(plan), false).onComplete(ar -> {
            if (!replied.compareAndSet(false, true)) {
                LOG.warn("twilio choice [call {}]: {} answered by Twilio only after the console was told it was not "
                                + "carried out: {}", TwilioSignatureFilter.clip(plan.callSid()), plan.choice(),
                        ar.succeeded() ? "redirected after all" : ar.cause().getMessage());
                return;
            }
            vertx.cancelTimer(timer);
            if (ar.succeeded()) done(msg, plan, by);
            else fail(msg, plan.callSid(), plan.choice(), ar.cause());
        });
    }

    /**
     * Twilio's "update a call" with the new TwiML URL. Blocking (one HTTP request).
     *
     * @throws NotCarriedOut refused when Twilio no longer has the call in progress, else failed
     */
    Void update(Plan plan) {
        try {
            // the fallback, as on the number itself: if our TwiML cannot be fetched the caller still leaves a message
            Call.updater(plan.callSid()).setUrl(URI.create(plan.url())).setMethod(HttpMethod.POST)
                    .setFallbackUrl(URI.create(settings.url(TwilioWebhooks.FALLBACK_PATH))).setFallbackMethod(HttpMethod.POST)
                    .update(rest);
            return null;
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            String twilio = (e.getCode() == null ? "" : "Twilio error " + e.getCode() + ": ") + e.getMessage();
            if (status == null) throw new NotCarriedOut(TWILIO_FAILED, "no answer from Twilio (" + e.getMessage() + ")");
            // 404: Twilio has no such live call; 21220: "Call is not in-progress. Cannot redirect."
            if (status == 404 || status == 400 && Integer.valueOf(NOT_IN_PROGRESS).equals(e.getCode())) {
                throw new NotCarriedOut(REFUSED, "call " + plan.callSid() + " is no longer in progress at Twilio (HTTP "
                        + status + ", " + twilio + ")");
            }
            throw new NotCarriedOut(TWILIO_FAILED, "Twilio did not redirect call " + plan.callSid() + " (HTTP " + status
                    + ", " + twilio + ")");
        } catch (TwilioException e) {
            throw new NotCarriedOut(TWILIO_FAILED, "no answer from Twilio (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    private void done(Message<JsonObject> msg, Plan plan, String by) {
        LOG.info("twilio choice [call {}]: {} by {}: {}", TwilioSignatureFilter.clip(plan.callSid()), plan.choice(),
                by == null ? "?" : TwilioSignatureFilter.clip(by), plan.done());
        msg.reply(new JsonObject().put("done", plan.done()));
    }

    private void fail(Message<JsonObject> msg, String callSid, String choice, Throwable cause) {
        int code;
        String reason;
        if (cause instanceof NotCarriedOut n) {
            code = n.code();
            reason = n.getMessage();
        } else {
            code = TWILIO_FAILED;
            reason = "internal error: " + cause;
            LOG.error("twilio choice [call {}]: {} failed", TwilioSignatureFilter.clip(callSid), choice, cause);
        }
        LOG.warn("twilio choice [call {}]: {} not carried out: {}", TwilioSignatureFilter.clip(callSid),
                choice == null ? "?" : TwilioSignatureFilter.clip(choice), reason);
        msg.fail(code, reason);
    }

    private static String field(JsonObject body, String name) {
        Object v = body == null ? null : body.getValue(name);
        return v instanceof String s && !s.isBlank() ? s : null;
    }
}
