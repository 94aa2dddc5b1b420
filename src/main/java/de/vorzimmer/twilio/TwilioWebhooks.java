package de.vorzimmer.twilio;

import de.vorzimmer.http.Bodies;
import de.vorzimmer.http.Refusal;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.StatusService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twilio adapter's webhooks under {@code /twilio/}, answered with TwiML: one signature filter in front of every
 * route ({@link TwilioSignatureFilter}, no off switch), the voice routes of a call ({@link VoiceRoutes}, which carry
 * out the pure {@link TwilioCallFlow}), the SMS routes ({@link SmsRoutes}: confirmations of urgent messages, client
 * status commands, delivery reports), and the static fallback document. JDBC runs off the event loop. Routes mounted
 * after {@link #mount} under {@code /twilio/} (the phone-in line, escalation call-outs' {@link CallOutRoutes}) are
 * behind the same body limit and signature filter.
 */
public final class TwilioWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
    /** Twilio's webhook bodies are a few hundred bytes; an SMS body at most 1600 characters. */
    public static final long MAX_BODY = 64 * 1024;
    public static final String FALLBACK_RESOURCE = "/twilio/fallback.xml";
    /** Where a call goes when a secretary chose for it in the console: {@code ?choice=put-through|voicemail}. */
    public static final String CHOICE_PATH = "/twilio/choice";
    /** The static TwiML Twilio falls back to when we cannot answer (see {@link #FALLBACK_RESOURCE}). */
    public static final String FALLBACK_PATH = "/twilio/fallback";
    static final String XML = "text/xml; charset=utf-8";

    private final TwilioSignatureFilter filter;
    private final VoiceRoutes voice;
    private final SmsRoutes sms;
    private final String fallback;

    /** What an SMS reply that confirms an urgent message ({@code OK 42}) does; answers with the reply text. */
    @FunctionalInterface
    public interface SmsConfirmations {
        /** Blocking. {@code reference} is null when the reply named none. */
        String confirm(String fromE164, String reference, Instant at);
    }

    /**
     * @param messages stores a recording or missed-call message (with its urgent SMS), blocking until committed
     * @param status   where client SMS commands set the status (blocking; run off the event loop)
     * @param outbox   where the SMS provider's delivery reports are recorded
     */
    public TwilioWebhooks(Vertx vertx, TwilioSettings settings, LiveRouting routing, DecisionLog log,
                          TwilioCallStore calls, MessageSink messages, StatusService status, OutboxStore outbox) {
        this(vertx, settings, routing, log, calls, messages, status, outbox, null);
    }

    /** @param confirmations confirms urgent messages by SMS reply, or null where there are no escalations */
    public TwilioWebhooks(Vertx vertx, TwilioSettings settings, LiveRouting routing, DecisionLog log,
                          TwilioCallStore calls, MessageSink messages, StatusService status, OutboxStore outbox,
                          SmsConfirmations confirmations) {
        Objects.requireNonNull(vertx, "vertx == null");
        Objects.requireNonNull(settings, "settings == null");
        this.filter = new TwilioSignatureFilter(settings);
        this.voice = new VoiceRoutes(vertx, settings, routing, log, calls, messages);
        this.sms = new SmsRoutes(vertx, routing, status, outbox, confirmations);
        this.fallback = fallbackTwiml();
    }

    public void mount(Router router) {
        router.route("/twilio/*").handler(Bodies.upTo(MAX_BODY)).handler(filter)
                .failureHandler(TwilioWebhooks::failure);
        voice.mount(router);
        sms.mount(router);
        router.route(FALLBACK_PATH).method(HttpMethod.GET).method(HttpMethod.POST).handler(ctx -> xml(ctx, fallback));
    }

    /** The static fallback TwiML, as served at {@code /twilio/fallback}. */
    public static String fallbackTwiml() {
        try (InputStream in = TwilioWebhooks.class.getResourceAsStream(FALLBACK_RESOURCE)) {
            if (in == null) throw new IllegalStateException(FALLBACK_RESOURCE + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FALLBACK_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The URL a call is redirected to for a secretary's {@code choice} ({@code put-through} or {@code voicemail}). */
    static String choiceUrl(TwilioSettings settings, String choice) {
        return settings.url(CHOICE_PATH + "?choice=" + URLEncoder.encode(choice, StandardCharsets.UTF_8));
    }

    // ---- plumbing shared by the routes

    /** Runs {@code work} off the event loop, then {@code then} on it; a failure of either fails the request. */
    static <T> void blocking(Vertx vertx, RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            try {
                then.accept(ar.result());
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }

    static void xml(RoutingContext ctx, String twiml) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML).end(twiml);
    }

    private static void failure(RoutingContext ctx) {
        Refusal r = Refusal.of(ctx, MAX_BODY);
        if (r.internal()) {
            // Twilio answers a 5xx by running the fallback URL, so the caller still hears something sensible
            LOG.error("twilio: {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        } else if (ctx.failure() != null || r.status() == 413) {
            LOG.warn("twilio: {} {} refused: {}", ctx.request().method(), ctx.request().path(), r.reason());
        }
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(r.status()).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(r.reason() + "\n");
    }
}
