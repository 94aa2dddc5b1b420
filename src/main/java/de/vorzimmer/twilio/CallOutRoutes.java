package de.vorzimmer.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Say;
import de.vorzimmer.escalation.CallOutcome;
import de.vorzimmer.escalation.CallScript;
import de.vorzimmer.escalation.Escalations;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TwiML of an escalation call-out placed by {@link TwilioCallOut}: when the person answers, the message is read
 * ({@code <Say>} in the client's language; a Twilio recording is played) inside a {@code <Gather>} for one key: 1
 * confirms the message, 2 reads it again. The call's end ({@code completed}, {@code no-answer}, {@code busy},
 * {@code failed}, {@code canceled}) moves the chain on. Every request carries the step's outbox id ({@code step}).
 *
 * <p>Mount it after {@link TwilioWebhooks#mount}, whose {@code /twilio/*} signature filter stands in front of these
 * routes too.
 */
public final class CallOutRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CallOutRoutes.class);
    public static final String START = "/twilio/callout";
    public static final String KEY = "/twilio/callout/key";
    public static final String STATUS = "/twilio/callout/status";
    private static final String XML = "text/xml; charset=utf-8";

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final Escalations escalations;
    private final Supplier<Instant> now;

    public CallOutRoutes(Vertx vertx, TwilioSettings settings, Escalations escalations, Supplier<Instant> now) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
        this.now = Objects.requireNonNull(now, "now == null");
    }

    public void mount(Router router) {
        router.post(START).handler(this::start);
        router.post(KEY).handler(this::key);
        router.post(STATUS).handler(this::status);
    }

    private static long step(RoutingContext ctx) {
        String s = ctx.request().getParam("step");
        if (s == null || !s.matches("[0-9]{1,18}")) throw new TwilioRequestException(400, "parameter step is missing or not a number");
        return Long.parseLong(s);
    }

    private void start(RoutingContext ctx) {
        long step = step(ctx);
        vertx.executeBlocking(() -> escalations.script(step), false).onComplete(r -> {
            if (r.failed() || r.result().isEmpty()) {
                if (r.failed()) LOG.error("call-out {}: {}", step, r.cause().getMessage(), r.cause());
                xml(ctx, Twiml.xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build()));
                return;
            }
            xml(ctx, read(r.result().get()));
        });
    }

    private void key(RoutingContext ctx) {
        long step = step(ctx);
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String digits = p.optional("Digits");
        Instant at = now.get();
        vertx.executeBlocking(() -> {
            Optional<CallScript> script = escalations.script(step);
            if (script.isEmpty()) return Twiml.xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
            CallScript s = script.get();
            if ("1".equals(digits)) {
                escalations.confirmByCall(step, at);
                LOG.info("call-out {}: message {} confirmed with 1", step, s.messageId());
                return Twiml.xml(new VoiceResponse.Builder().say(say(s.confirmed(), s.language()))
                        .hangup(new Hangup.Builder().build()).build());
            }
            return read(s);
        }, false).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
                return;
            }
            xml(ctx, r.result());
        });
    }

    private void status(RoutingContext ctx) {
        long step = step(ctx);
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String status = p.required("CallStatus");
        CallOutcome outcome = switch (status) {
            case "completed" -> CallOutcome.ANSWERED;
            case "no-answer", "canceled" -> CallOutcome.NO_ANSWER;
            case "busy" -> CallOutcome.BUSY;
            case "failed" -> CallOutcome.FAILED;
            default -> null;
        };
        if (outcome == null) {
            xml(ctx, Twiml.xml(new VoiceResponse.Builder().build()));
            return;
        }
        Instant at = now.get();
        vertx.executeBlocking(() -> escalations.callEnded(step, outcome, at), false).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
                return;
            }
            xml(ctx, Twiml.xml(new VoiceResponse.Builder().build()));
        });
    }

    /** The message, then the choice, inside a one-key gather; nothing pressed: goodbye. */
    private String read(CallScript s) {
        Gather.Builder g = new Gather.Builder().action(settings.url(KEY + "?step=" + s.step())).method(HttpMethod.POST)
                .numDigits(1).timeout(6);
        g.say(say(s.intro(), s.language()));
        if (s.recording() != null && (s.recording().startsWith("https://") || s.recording().startsWith("http://"))) {
            g.play(new Play.Builder(s.recording()).build());
        } else if (s.text() != null) {
            g.say(say(s.text(), s.language()));
        }
        g.say(say(s.choice(), s.language()));
        return Twiml.xml(new VoiceResponse.Builder().gather(g.build()).say(say(s.goodbye(), s.language()))
                .hangup(new Hangup.Builder().build()).build());
    }

    private static Say say(String text, String language) {
        Say.Builder b = new Say.Builder(text);
        Say.Language voice = Prompts.of(language, null).voice();
        if (voice != null) b.language(voice);
        return b.build();
    }

    private static void xml(RoutingContext ctx, String twiml) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML).end(twiml);
    }
}
