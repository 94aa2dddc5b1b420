package de.vorzimmer.twilio;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.twilio.TwilioCallFlow.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voice webhooks of a call, a thin shell around {@link TwilioCallFlow}: each route reads Twilio's parameters and
 * the call's row, asks the flow for the step, makes the step's conditional write, publishes the live state the step
 * announces only if that write changed the row, and renders the reply as TwiML.
 *
 * <p>A call: {@code /voice} decides (the routing core) and stores the decision with the call; a put-through rings the
 * client with a whisper ({@code /whisper}: press 1) and reports to {@code /dial-result}, which goes on with the
 * decision's fallbacks (the secretaries, then the recording); {@code /recording} stores the message; {@code /status}
 * turns a call that ended with nobody answering and nothing recorded into a missed-call message. A secretary's choice
 * in the console ({@link TwilioCallControl}) redirects a live call to {@code /choice}.
 *
 * <p>Each change of a call's live state is published on {@link CallUpdate#ADDRESS} as the Asterisk adapter does it,
 * for the console's screen-pop, with the decision the call carries: {@code ringing} per stage, {@code answered},
 * {@code message}, {@code ended}, {@code missed}. The call id is the CallSid.
 */
final class VoiceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceRoutes.class);
    private static final Set<String> ENDED = Set.of("completed", "busy", "no-answer", "failed", "canceled");
    private static final Set<String> TALKED = Set.of("completed", "answered");

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final LiveRouting routing;
    private final DecisionLog log;
    private final TwilioCallStore calls;
    private final MessageSink messages;

    VoiceRoutes(Vertx vertx, TwilioSettings settings, LiveRouting routing, DecisionLog log, TwilioCallStore calls,
                MessageSink messages) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.calls = Objects.requireNonNull(calls, "calls == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
    }

    void mount(Router router) {
        router.post("/twilio/voice").handler(this::voice);
        router.post("/twilio/whisper").handler(this::whisper);
        router.post("/twilio/dial-result").handler(this::dialResult);
        router.post("/twilio/recording").handler(this::recording);
        router.post("/twilio/status").handler(this::status);
        router.post(TwilioWebhooks.CHOICE_PATH).handler(this::choice);
    }

    // ---- the routes

    private void voice(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        Call call = TwilioCalls.toCall(p);
        Instant now = routing.now();
        CallRecord decided = decide(call, callSid, now, true);
        Step step = TwilioCallFlow.on(null, new TwilioCallFlow.Incoming(decided));
        CallRecord record = ((TwilioCallFlow.Insert) step.write()).record();
        String twiml = render(step.reply(), record, callSid);
        CallUpdate live = step.announce() == null ? null : update(record, step.announce(), targets(record), null, now);
        // answered only once the row is committed (group commit), so every later leg finds the decision
        Future.fromCompletionStage(calls.insertCommitted(record, now), vertx.getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CallDecision d = record.decision();
            LOG.info("twilio voice [call {}]: {} -> {} {} client={} caller={} ({}){}", TwilioSignatureFilter.clip(callSid),
                    call.from(), call.to(), record.stage().word(), record.clientId(), d.callerNumber(), d.callerClass(),
                    ar.result() ? "" : ", retried");
            if (ar.result() && live != null) publish(live);
            TwilioWebhooks.xml(ctx, twiml);
        });
    }

    /** The client's leg, after it answered: press 1 to take the call. */
    private void whisper(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        p.required("CallSid");
        String parent = p.query("call");
        if (parent == null) throw new TwilioRequestException(400, "missing query parameter call");
        Prompts prompts = prompts(p.query("lang"));
        if (!"answer".equals(p.query("step"))) {
            String display = p.query("display") == null ? "" : p.query("display");
            TwilioWebhooks.xml(ctx, VoiceTwiml.whisper(prompts, display, url("/twilio/whisper", "call", parent, "step", "answer")));
            return;
        }
        Step step = TwilioCallFlow.on(null, new TwilioCallFlow.Accepted("1".equals(p.optional("Digits"))));
        if (step.write() instanceof TwilioCallFlow.Nothing) {
            TwilioWebhooks.xml(ctx, render(step.reply(), null, parent));
            return;
        }
        Instant now = routing.now();
        TwilioWebhooks.blocking(vertx, ctx, () -> {
            calls.markAccepted(parent, now);
            return calls.markOutcome(parent, CallRecord.Outcome.ANSWERED, now) ? calls.find(parent) : Optional.<CallRecord>empty();
        }, answered -> {
            LOG.info("twilio whisper [call {}]: client accepted", TwilioSignatureFilter.clip(parent));
            answered.ifPresent(r -> publish(update(r, step.announce(), targets(r),
                    p.optional("To") != null ? p.optional("To") : reach(r), now)));
            TwilioWebhooks.xml(ctx, render(step.reply(), null, parent));
        });
    }

    private void dialResult(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String dialStatus = p.required("DialCallStatus");
        boolean putThrough = "put-through".equals(p.query("stage"));
        // a put-through the secretary chose falls back to a message, not to the secretaries once more
        TwilioCallFlow.DialEnded event = new TwilioCallFlow.DialEnded(putThrough, TALKED.contains(dialStatus),
                "message".equals(p.query("then")));
        Instant now = routing.now();
        TwilioWebhooks.blocking(vertx, ctx, () -> {
            CallRecord rec = calls.find(callSid).orElse(null);
            Step step = TwilioCallFlow.on(rec, event);
            return new Done(rec, step, carryOut(callSid, rec, step, now));
        }, done -> {
            String what = done.step.reply() instanceof TwilioCallFlow.Hangup ? "answered, done"
                    : "not taken (" + dialStatus + "), " + (done.step.reply() instanceof TwilioCallFlow.Screen
                    ? "ringing the secretaries" : "recording a message");
            LOG.info("twilio dial result [call {}]: {} {}", TwilioSignatureFilter.clip(callSid),
                    putThrough ? "put-through" : "screen", what);
            done.live.forEach(this::publish);
            TwilioWebhooks.xml(ctx, render(done.step.reply(), done.record, callSid, p.query("display")));
        });
    }

    private void recording(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String recordingUrl = p.required("RecordingUrl");
        String recordingSid = p.required("RecordingSid");
        String duration = p.optional("RecordingDuration");
        Instant now = routing.now();
        Step step = TwilioCallFlow.on(null, new TwilioCallFlow.Recorded("0".equals(duration)));
        TwilioWebhooks.blocking(vertx, ctx, () -> {
            Optional<CallRecord> known = calls.find(callSid);
            if (step.write() instanceof TwilioCallFlow.Nothing) return new Settled(known.orElse(null), Optional.empty());
            // a recording without a call: the fallback TwiML took the call while we were away; decide it now
            CallRecord rec = known.orElseGet(() -> decide(TwilioCalls.toCall(p), callSid, now, false));
            Optional<Long> id = calls.settle(callSid, CallRecord.Outcome.RECORDED, known.isPresent() ? null : rec, now,
                    r -> messages.store(message(r, MessageKind.RECORDING, recordingUrl)));
            if (id.isPresent()) messages.committed();
            return new Settled(rec, id);
        }, s -> {
            if (s.messageId.isPresent()) {
                CallRecord r = s.record;
                publish(new CallUpdate(callSid, step.announce(), r.clientId(), caller(r), r.callerName(), r.line(),
                        r.display(), List.of(), null, recordingUrl, r.urgent(), r.stage().word(), 0, now, r.decision()));
                LOG.info("twilio recording [call {}]: message {} for client {} ({} s, {}{})",
                        TwilioSignatureFilter.clip(callSid), s.messageId.get(), r.clientId(),
                        duration == null ? "?" : duration, TwilioSignatureFilter.clip(recordingSid), r.urgent() ? ", urgent" : "");
            } else if (!(step.write() instanceof TwilioCallFlow.Nothing)) {
                LOG.info("twilio recording [call {}]: call already settled, {} not stored again",
                        TwilioSignatureFilter.clip(callSid), TwilioSignatureFilter.clip(recordingSid));
            }
            TwilioWebhooks.xml(ctx, render(step.reply(), s.record, callSid));
        });
    }

    /**
     * Call progress. For the parent call: when it ended with nobody answering and nothing recorded, the caller
     * leaves a missed-call message. For a secretary's leg ({@code leg=secretary}): answered means the call was taken.
     */
    private void status(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String callStatus = p.required("CallStatus");
        Instant now = routing.now();
        if ("secretary".equals(p.query("leg"))) {
            String parent = p.query("call");
            if (parent == null) throw new TwilioRequestException(400, "missing query parameter call");
            Step step = TwilioCallFlow.on(null, new TwilioCallFlow.SecretaryAnswered(
                    "in-progress".equals(callStatus) || "answered".equals(callStatus)));
            if (step.write() instanceof TwilioCallFlow.Nothing) {
                TwilioWebhooks.xml(ctx, VoiceTwiml.empty());
                return;
            }
            TwilioWebhooks.blocking(vertx, ctx, () -> calls.markOutcome(parent, CallRecord.Outcome.ANSWERED, now)
                    ? calls.find(parent) : Optional.<CallRecord>empty(), answered -> {
                LOG.info("twilio status [call {}]: a secretary answered", TwilioSignatureFilter.clip(parent));
                // the leg's To is the endpoint that answered: client:anna, sip:ben@...
                answered.ifPresent(r -> publish(update(r, step.announce(), targets(r), p.optional("To"), now)));
                TwilioWebhooks.xml(ctx, VoiceTwiml.empty());
            });
            return;
        }
        String direction = p.optional("Direction");
        if (!ENDED.contains(callStatus) || direction != null && !direction.equals("inbound")) {
            TwilioWebhooks.xml(ctx, VoiceTwiml.empty());
            return;
        }
        TwilioWebhooks.blocking(vertx, ctx, () -> {
            Optional<CallRecord> known = calls.find(callSid);
            // a call no route saw (the fallback took it): decided now from the callback's parameters
            if (known.isEmpty() && p.optional("To") == null) return List.<CallUpdate>of();
            CallRecord rec = known.orElseGet(() -> decide(TwilioCalls.toCall(p), callSid, now, false));
            Step step = TwilioCallFlow.on(rec, new TwilioCallFlow.Ended());
            if (step.write() instanceof TwilioCallFlow.Settle s) {
                Optional<Long> id = calls.settle(callSid, s.outcome(), known.isPresent() ? null : rec, now,
                        r -> messages.store(message(r, s.kind(), null)));
                if (id.isEmpty()) return List.<CallUpdate>of();
                messages.committed();
                LOG.info("twilio status [call {}]: {} without answer or recording: missed-call message {}",
                        TwilioSignatureFilter.clip(callSid), callStatus, id.get());
                return List.of(update(rec, step.announce(), targets(rec), null, now).withMessageId(id.get()));
            }
            return carryOut(callSid, rec, step, now);
        }, live -> {
            live.forEach(this::publish);
            TwilioWebhooks.xml(ctx, VoiceTwiml.empty());
        });
    }

    /**
     * A live call that {@link TwilioCallControl} redirected for a secretary's choice. {@code put-through} rings the
     * client's reach with the whisper, like a routed put-through; if the client does not take it, the caller leaves
     * a message (the secretary has already seen the call). {@code voicemail} is the greeting and the recording.
     * A call whose client or reach is gone by now gets the recording: the caller never hears dead air.
     */
    private void choice(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String choice = p.query("choice");
        if (!"put-through".equals(choice) && !"voicemail".equals(choice)) {
            throw new TwilioRequestException(400, "query parameter choice must be put-through or voicemail");
        }
        Instant now = routing.now();
        TwilioWebhooks.blocking(vertx, ctx, () -> {
            CallRecord rec = calls.find(callSid).orElse(null);
            boolean putThrough = "put-through".equals(choice);
            Step step = TwilioCallFlow.on(rec, new TwilioCallFlow.Chosen(putThrough, putThrough ? reach(rec) : null));
            return new Done(rec, step, carryOut(callSid, rec, step, now));
        }, done -> {
            String step = done.step.reply() instanceof TwilioCallFlow.Ring ? "ringing the client"
                    : "put-through".equals(choice) ? "no client reach any more, recording a message" : "recording a message";
            LOG.info("twilio choice [call {}]: {}, {}", TwilioSignatureFilter.clip(callSid), choice, step);
            done.live.forEach(this::publish);
            TwilioWebhooks.xml(ctx, render(done.step.reply(), done.record, callSid));
        });
    }

    // ---- carrying a step out

    private record Done(CallRecord record, Step step, List<CallUpdate> live) {
    }

    private record Settled(CallRecord record, Optional<Long> messageId) {
    }

    /**
     * Makes the step's write (answer, end, advance; blocking) and returns the live states it announces: only those
     * whose write changed the row, with the row as it is afterwards.
     */
    private List<CallUpdate> carryOut(String callSid, CallRecord rec, Step step, Instant now) {
        TwilioCallFlow.Write w = step.write();
        List<CallUpdate> live = new ArrayList<>();
        if (w instanceof TwilioCallFlow.AnswerAndEnd) {
            boolean nowAnswered = calls.markOutcome(callSid, CallRecord.Outcome.ANSWERED, now);
            boolean ended = calls.markEnded(callSid, now);
            if (rec != null && nowAnswered) {
                // the secretary's leg did not report it: if one endpoint rang, she took it
                List<String> rung = targets(rec);
                live.add(update(rec, CallState.ANSWERED, rung, rung.size() == 1 ? rung.get(0) : null, now));
            }
            if (rec != null && ended) {
                CallRecord over = calls.find(callSid).orElse(rec);
                live.add(update(over, CallState.ENDED, targets(over), live.isEmpty() ? null : live.get(0).answeredBy(), now));
            }
        } else if (w instanceof TwilioCallFlow.Advance a) {
            if (rec != null && calls.advance(callSid, a.to(), a.from(), now)) {
                calls.find(callSid).ifPresent(at -> live.add(update(at, step.announce(), targets(at), null, now)));
            }
        } else if (w instanceof TwilioCallFlow.End) {
            if (calls.markEnded(callSid, now)) live.add(update(rec, step.announce(), targets(rec), null, now));
        } else if (!(w instanceof TwilioCallFlow.Nothing)) {
            throw new IllegalStateException("unexpected write " + w);
        }
        return live;
    }

    /** The TwiML for a reply. */
    private String render(TwilioCallFlow.Reply reply, CallRecord rec, String callSid) {
        return render(reply, rec, callSid, rec == null ? null : rec.display());
    }

    private String render(TwilioCallFlow.Reply reply, CallRecord rec, String callSid, String display) {
        Place place = placeOf(rec);
        if (reply instanceof TwilioCallFlow.Ring r) {
            String reach = r.reach() != null ? r.reach() : reach(rec);
            String shown = rec == null ? display : rec.display();
            String dialResult = r.messageIfMissed()
                    ? url("/twilio/dial-result", "stage", "put-through", "then", "message")
                    : url("/twilio/dial-result", "stage", "put-through", "display", shown);
            return VoiceTwiml.putThrough(reach, place.defaults.ringPutThrough(),
                    url("/twilio/whisper", "call", callSid, "lang", place.lang(), "display", shown), dialResult);
        }
        if (reply instanceof TwilioCallFlow.Screen s) {
            return VoiceTwiml.screen(TwilioCalls.endpoints(rec.screenTargets()), place.defaults.ringScreen(), display,
                    url("/twilio/status", "leg", "secretary", "call", callSid), url("/twilio/dial-result", "stage", "screen"));
        }
        if (reply instanceof TwilioCallFlow.Record) return VoiceTwiml.record(place.prompts(), greeting(rec), url("/twilio/recording"));
        if (reply instanceof TwilioCallFlow.Reject) return VoiceTwiml.reject();
        if (reply instanceof TwilioCallFlow.Hangup) return VoiceTwiml.hangup();
        if (reply instanceof TwilioCallFlow.Thanks) return VoiceTwiml.thanks(place.prompts());
        if (reply instanceof TwilioCallFlow.NothingRecorded) return VoiceTwiml.nothingRecorded(place.prompts());
        return VoiceTwiml.empty(); // Connect, Ok
    }

    // ---- the call's decision and live state

    /**
     * The routing core's decision for a call, as a record to store: on {@code /voice}, and for a call no route saw
     * (taken by the fallback TwiML while the server was away) from a later callback's parameters.
     */
    private CallRecord decide(Call call, String callSid, Instant now, boolean logged) {
        LiveRouting.Routed routed = routing.route(call, now);
        Decision d = routed.decision();
        if (logged) log.record(callSid, "twilio", now, d);
        Place place = place(d.client());
        // the book's name only: Twilio's CallerName is what the caller's line says, never stored as a contact
        return new CallRecord(callSid, now, d.client(), d.line(), d.caller().number(), d.caller().contact(),
                d.action(), d.urgent(),
                place.language, place.region, d.screenTarget(), false, null, null,
                CallDecision.of(callSid, d, routed.snapshot().book().version()));
    }

    /** Publishes a change of a call's live state; call it only once the change is committed. */
    private void publish(CallUpdate u) {
        LOG.info("twilio call state [call {}]: {} stage={} targets={} answeredBy={}", TwilioSignatureFilter.clip(u.callId()),
                u.state().word(), u.stage(), u.targets(), u.answeredBy());
        vertx.eventBus().publish(CallUpdate.ADDRESS, u.toJson());
    }

    private static CallUpdate update(CallRecord r, CallState state, List<String> targets, String answeredBy, Instant at) {
        return new CallUpdate(r.callSid(), state, r.clientId(), caller(r), r.callerName(), r.line(), r.display(), targets,
                answeredBy, null, r.urgent(), r.stage().word(), 0, at, r.decision());
    }

    private static String caller(CallRecord r) {
        return r.callerNumber() == null ? "" : r.callerNumber();
    }

    /** Who the call's stage rings, as the TwiML dials it: the client's reach, or the Twilio secretaries. */
    private List<String> targets(CallRecord r) {
        return switch (r.stage()) {
            case PUT_THROUGH -> {
                String reach = reach(r);
                yield reach == null ? List.of() : List.of(reach);
            }
            case SCREEN -> TwilioCalls.dialable(r.screenTargets());
            default -> List.of();
        };
    }

    /** The client's reach for a put-through of this call, from the book in force; null if there is none. */
    private String reach(CallRecord rec) {
        if (rec == null || rec.clientId() == null || rec.line() == null) return null;
        BookIndex.ClientEntry e = routing.snapshot().book().client(rec.clientId());
        return e == null ? null : e.client().reach();
    }

    private String greeting(CallRecord rec) {
        if (rec == null) return null;
        if (rec.decision() != null) return rec.decision().greeting();
        if (rec.clientId() == null) return null;
        BookIndex.ClientEntry e = routing.snapshot().book().client(rec.clientId());
        return e == null ? null : e.client().greeting();
    }

    private static NewMessage message(CallRecord r, MessageKind kind, String recordingUrl) {
        return new NewMessage(r.clientId(), r.line(), r.callerNumber(), r.callerName(), kind, null, recordingUrl,
                r.urgent(), false, Map.of(), r.callSid());
    }

    // ---- where a call's client lives

    /** A call's client's language, region and the book's ring times. */
    private record Place(String language, String region, Defaults defaults) {
        Prompts prompts() {
            return Prompts.of(language, region);
        }

        String lang() {
            return region == null ? language : language + "-" + region;
        }
    }

    private Place place(String clientId) {
        var book = routing.snapshot().book();
        Defaults defaults = book.book().defaults();
        BookIndex.ClientEntry e = clientId == null ? null : book.client(clientId);
        if (e == null) return new Place(defaults.language(), defaults.region(), defaults);
        return new Place(e.client().language(), e.client().region(), defaults);
    }

    private Place placeOf(CallRecord r) {
        if (r == null) return place(null);
        return new Place(r.language(), r.region(), routing.snapshot().book().book().defaults());
    }

    private static Prompts prompts(String lang) {
        if (lang == null) return Prompts.of("de", "DE");
        int dash = lang.indexOf('-');
        return dash < 0 ? Prompts.of(lang, null) : Prompts.of(lang.substring(0, dash), lang.substring(dash + 1));
    }

    /** An absolute callback URL with query parameters, percent-encoded as Twilio will request (and sign) it. */
    private String url(String path, String... keyValues) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) q.put(keyValues[i], keyValues[i + 1]);
        }
        StringBuilder sb = new StringBuilder(settings.url(path));
        char sep = '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
