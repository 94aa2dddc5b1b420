package de.vorzimmer.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Say;
import de.vorzimmer.phonein.Ask;
import de.vorzimmer.phonein.DialogState;
import de.vorzimmer.phonein.Input;
import de.vorzimmer.phonein.PhoneInDialog;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.Phrase;
import de.vorzimmer.phonein.Prompt;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.phonein.Step;
import de.vorzimmer.phonein.PhoneInStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone-in line over Twilio: point the phone-in number's voice webhook at {@code /twilio/phonein}. Every step of
 * {@link PhoneInDialog} is answered with TwiML: the prompts ({@code <Say>} in the client's language, {@code <Play>}
 * for recordings) inside a {@code <Gather>} whose action, {@code /twilio/phonein/input?seq=N}, brings the keys back;
 * the dialog state waits in {@code phonein_sessions} under the CallSid. A request whose {@code seq} is not the
 * state's (Twilio retried it) hears the current question again and changes nothing.
 *
 * <p>Mount it on the router after {@link TwilioWebhooks#mount}, whose {@code /twilio/*} signature filter then
 * stands in front of these routes too.
 */
public final class PhoneInRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneInRoutes.class);
    public static final String START = "/twilio/phonein";
    public static final String INPUT = "/twilio/phonein/input";
    private static final String XML = "text/xml; charset=utf-8";

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final PhoneInLine line;
    private final PhoneInStore sessions;
    private final PromptCatalogue catalogue;

    public PhoneInRoutes(Vertx vertx, TwilioSettings settings, PhoneInLine line, PhoneInStore sessions,
                         PromptCatalogue catalogue) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.line = Objects.requireNonNull(line, "line == null");
        this.sessions = Objects.requireNonNull(sessions, "sessions == null");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue == null");
    }

    public void mount(Router router) {
        router.post(START).handler(this::start);
        router.post(INPUT).handler(this::input);
    }

    private void start(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String from = p.optional("From");
        PhoneInLine.CallRef call = new PhoneInLine.CallRef("twilio", TwilioSignatureFilter.clip(callSid));
        respond(ctx, callSid, () -> {
            Instant now = line.now();
            Optional<String> known = sessions.session(callSid);
            // a retried first request: the call is already under way
            Step step = known.isPresent() ? PhoneInDialog.repeat(DialogState.fromJson(known.get()))
                    : line.start(call, from == null ? "" : from, now);
            if (known.isEmpty()) sessions.saveSession(callSid, step.state().toJson(), now);
            return step;
        });
    }

    private void input(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String digits = p.optional("Digits");
        String seq = p.query("seq");
        PhoneInLine.CallRef call = new PhoneInLine.CallRef("twilio", TwilioSignatureFilter.clip(callSid));
        Input in;
        try {
            // Twilio leaves out the '#' that ended the entry; one it sends anyway ends it too. A '#' inside stays, and
            // the dialog refuses it.
            in = Input.of(digits == null ? null : digits.endsWith("#") ? digits.substring(0, digits.length() - 1) : digits);
        } catch (IllegalArgumentException e) {
            throw new TwilioRequestException(400, "Digits is not DTMF");
        }
        respond(ctx, callSid, () -> {
            Instant now = line.now();
            Optional<String> saved = sessions.session(callSid);
            if (saved.isEmpty()) {
                LOG.warn("phone-in [twilio {}]: input for a call without a session", call.callId());
                return null;
            }
            DialogState state = DialogState.fromJson(saved.get());
            if (!Integer.toString(state.seq()).equals(seq)) {
                LOG.info("phone-in [twilio {}]: replayed step {} (now at {}), question repeated", call.callId(), seq,
                        state.seq());
                return PhoneInDialog.repeat(state);
            }
            Step step = line.next(call, state, in, now);
            sessions.saveSession(callSid, step.state().toJson(), now);
            return step;
        });
    }

    private interface Work {
        Step run();
    }

    /** Runs the (blocking) step off the event loop and answers with its TwiML; a failure says sorry and hangs up. */
    private void respond(RoutingContext ctx, String callSid, Work work) {
        vertx.executeBlocking(work::run, false).onComplete(r -> {
            String twiml;
            if (r.succeeded() && r.result() != null) {
                twiml = twiml(r.result());
            } else {
                if (r.failed()) {
                    LOG.error("phone-in [twilio {}]: {}", TwilioSignatureFilter.clip(callSid), r.cause().getMessage(),
                            r.cause());
                }
                twiml = sorry();
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML).end(twiml);
        });
    }

    /** The TwiML for one step. Public for tests and tools; no decisions here. */
    public String twiml(Step step) {
        String lang = step.state().language();
        Say.Language voice = Prompts.of(lang, null).voice();
        List<Object> verbs = verbs(step.prompts(), lang, voice);
        VoiceResponse.Builder r = new VoiceResponse.Builder();
        if (step.ask() != null) {
            Ask ask = step.ask();
            Gather.Builder g = new Gather.Builder().action(settings.url(INPUT + "?seq=" + step.state().seq()))
                    .method(HttpMethod.POST).timeout(ask.timeoutSeconds()).finishOnKey("#").actionOnEmptyResult(true);
            if (ask.singleKey()) g.numDigits(1);
            for (Object v : verbs) {
                if (v instanceof Say s) g.say(s);
                else g.play((Play) v);
            }
            r.gather(g.build());
        } else {
            for (Object v : verbs) {
                if (v instanceof Say s) r.say(s);
                else r.play((Play) v);
            }
            r.hangup(new Hangup.Builder().build());
        }
        return Twiml.xml(r.build());
    }

    private String sorry() {
        Say.Language voice = Prompts.of("en", null).voice();
        return Twiml.xml(new VoiceResponse.Builder().say(say(catalogue.text(Phrase.SORRY, "en"), voice))
                .hangup(new Hangup.Builder().build()).build());
    }

    /** Prompts as {@code <Say>} (consecutive texts joined, for natural speech) and {@code <Play>} verbs. */
    private List<Object> verbs(List<Prompt> prompts, String lang, Say.Language voice) {
        List<Object> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Prompt p : prompts) {
            if (p instanceof Prompt.Recording rec && rec.location().matches("https?://.+")) {
                flush(out, text, voice);
                out.add(new Play.Builder(rec.location()).build());
                continue;
            }
            if (text.length() > 0) text.append(' ');
            text.append(spoken(p, lang));
        }
        flush(out, text, voice);
        return out;
    }

    private static void flush(List<Object> out, StringBuilder text, Say.Language voice) {
        if (text.length() == 0) return;
        out.add(say(text.toString(), voice));
        text.setLength(0);
    }

    /** What {@code <Say>} speaks for a prompt. */
    String spoken(Prompt p, String lang) {
        if (p instanceof Prompt.Say s) return catalogue.text(s.phrase(), lang);
        if (p instanceof Prompt.Digits d) return String.join(" ", d.digits().split("")) + ".";
        if (p instanceof Prompt.Number n) return Long.toString(n.value());
        if (p instanceof Prompt.Time t) return time(t.at(), t.withDay(), lang);
        if (p instanceof Prompt.Text t) return t.text();
        if (p instanceof Prompt.Recording) return catalogue.text(Phrase.RECORDING_ELSEWHERE, lang);
        throw new IllegalStateException("unknown prompt " + p);
    }

    static String time(ZonedDateTime at, boolean withDay, String lang) {
        boolean de = lang.equals("de");
        Locale locale = de ? Locale.GERMAN : Locale.ENGLISH;
        String clock = de ? at.format(DateTimeFormatter.ofPattern("H:mm", locale)) + " Uhr"
                : at.format(DateTimeFormatter.ofPattern("h:mm a", locale));
        if (!withDay) return clock + ".";
        String day = at.getDayOfWeek().getDisplayName(TextStyle.FULL, locale);
        return day + (de ? ", " : " ") + clock + ".";
    }

    private static Say say(String text, Say.Language voice) {
        Say.Builder b = new Say.Builder(text);
        if (voice != null) b.language(voice);
        return b.build();
    }
}
