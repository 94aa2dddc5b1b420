package de.vorzimmer.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.http.Refusal;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.LiveStatus;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.StatusTimeline;
import de.vorzimmer.store.OverrideStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twilio adapter: voice and SMS webhooks under {@code /twilio/}, answered with TwiML. It translates Twilio's
 * parameters into routing calls and store writes and the results into TwiML; the routing itself is the core's.
 *
 * <p>A call: {@code /voice} decides and remembers the decision by CallSid; a put-through rings the client with a
 * whisper ({@code /whisper}: press 1) and reports to {@code /dial-result}, which falls back to the secretaries and
 * then to a recording ({@code /recording} stores the message); {@code /status} turns a call that ended with
 * nobody answering and nothing recorded into a missed-call message. A secretary's choice in the console
 * ({@link TwilioCallControl}) redirects a live call to {@code /choice}: a put-through like the routed one, except that
 * a client who does not take it leaves the caller with a message, or the greeting and recording.
 * SMS from a client's number change its status.
 * Every route sits behind {@link TwilioSignatureFilter}; JDBC runs off the event loop.
 *
 * <p>Each change of a call's live state is published on {@link CallUpdate#ADDRESS} as the Asterisk adapter does it,
 * for the console's screen-pop: {@code ringing} per stage (put-through: the client's reach; screen: the Twilio
 * secretaries the TwiML dials), {@code answered} (the whisper's 1, a secretary's leg, a dial that talked),
 * {@code message} once the caller is sent to the recording, {@code ended} when an answered, recorded or rejected call
 * is over, {@code missed} with the missed-call message. The call id is the CallSid. A change is published only after
 * the store committed it and only by the request whose conditional write made it (see {@link TwilioCallStore}), so
 * Twilio's retries publish nothing twice.
 */
public final class TwilioWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
    /** Twilio's webhook bodies are a few hundred bytes; an SMS body at most 1600 characters. */
    public static final long MAX_BODY = 64 * 1024;
    public static final String FALLBACK_RESOURCE = "/twilio/fallback.xml";
    /** Event-bus address for SMS delivery reports (the outbox listens). */
    public static final String SMS_STATUS_ADDRESS = "vorzimmer.twilio.sms-status";
    /** Where a call goes when a secretary chose for it in the console: {@code ?choice=put-through|voicemail}. */
    public static final String CHOICE_PATH = "/twilio/choice";
    /** The static TwiML Twilio falls back to when we cannot answer (see {@link #FALLBACK_RESOURCE}). */
    public static final String FALLBACK_PATH = "/twilio/fallback";
    private static final String XML = "text/xml; charset=utf-8";
    private static final Set<String> ENDED = Set.of("completed", "busy", "no-answer", "failed", "canceled");
    private static final Set<String> TALKED = Set.of("completed", "answered");

    private final Vertx vertx;
    private final TwilioSettings settings;
    private final LiveRouting routing;
    private final DecisionLog log;
    private final TwilioCallStore calls;
    private final MessageSink messages;
    private final OverrideStore overrides;
    private final Runnable statusChanged;
    private final TwilioSignatureFilter filter;
    private final String fallback;

    /**
     * @param messages      stores a recording or missed-call message (with its urgent SMS), blocking until committed
     * @param statusChanged makes routing see a new override at once (blocking; run off the event loop)
     */
    public TwilioWebhooks(Vertx vertx, TwilioSettings settings, LiveRouting routing, DecisionLog log,
                          TwilioCallStore calls, MessageSink messages, OverrideStore overrides,
                          Runnable statusChanged) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.calls = Objects.requireNonNull(calls, "calls == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.overrides = Objects.requireNonNull(overrides, "overrides == null");
        this.statusChanged = Objects.requireNonNull(statusChanged, "statusChanged == null");
        this.filter = new TwilioSignatureFilter(settings);
        this.fallback = fallbackTwiml();
    }

    public void mount(Router router) {
        router.route("/twilio/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(filter)
                .failureHandler(this::failure);
        router.post("/twilio/voice").handler(this::voice);
        router.post("/twilio/whisper").handler(this::whisper);
        router.post("/twilio/dial-result").handler(this::dialResult);
        router.post("/twilio/recording").handler(this::recording);
        router.post("/twilio/status").handler(this::status);
        router.post(CHOICE_PATH).handler(this::choice);
        router.post("/twilio/sms").handler(this::sms);
        router.post("/twilio/sms-status").handler(this::smsStatus);
        router.route(FALLBACK_PATH).method(HttpMethod.GET).method(HttpMethod.POST).handler(this::fallback);
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

    // ---- voice -------------------------------------------------------------------------------------------

    private void voice(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        Call call = TwilioCalls.toCall(p);
        Instant now = routing.now();
        Decision d = routing.decide(call, now);
        log.record(callSid, "twilio", now, d);
        Place place = place(d.client());
        Action action = d.action();
        String twiml;
        CallRecord.Outcome outcome = null;
        switch (action) {
            case PUT_THROUGH -> twiml = VoiceTwiml.putThrough(d.target().get(0), place.defaults.ringPutThrough(),
                    url("/twilio/whisper", "call", callSid, "lang", place.lang(), "display", d.display()),
                    url("/twilio/dial-result", "stage", "put-through", "display", d.display()));
            case SCREEN -> {
                List<TwilioCalls.Endpoint> endpoints = TwilioCalls.endpoints(d.target());
                if (endpoints.isEmpty()) {
                    action = Action.MESSAGE; // only Asterisk endpoints on duty: Twilio cannot ring them
                    twiml = VoiceTwiml.record(place.prompts(), d.greeting(), url("/twilio/recording"));
                } else {
                    twiml = screen(endpoints, place, d.display(), callSid);
                }
            }
            case MESSAGE -> twiml = VoiceTwiml.record(place.prompts(), d.greeting(), url("/twilio/recording"));
            case REJECT -> {
                twiml = VoiceTwiml.reject();
                outcome = CallRecord.Outcome.REJECTED;
            }
            default -> throw new IllegalStateException("unexpected action " + action);
        }
        // the book's name only: Twilio's CallerName is what the caller's line says, shown only on the display
        CallRecord record = new CallRecord(callSid, now, d.client(), d.line(), d.caller().number(),
                d.caller().contact(), action, d.urgent(),
                place.language, place.region, d.screenTarget(), false, outcome, null);
        Action done = action;
        CallUpdate live = switch (action) {
            case PUT_THROUGH -> update(record, CallState.RINGING, d.display(), List.of(d.target().get(0)), null, now);
            case SCREEN -> update(record, CallState.RINGING, d.display(), TwilioCalls.dialable(d.target()), null, now);
            case MESSAGE -> update(record, CallState.MESSAGE, d.display(), List.of(), null, now);
            default -> null; // a rejected call is "ended" once Twilio reports its end
        };
        // answered only once the row is committed (group commit), so every later leg finds the decision
        Future.fromCompletionStage(calls.insertCommitted(record, now), vertx.getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            LOG.info("twilio voice [call {}]: {} -> {} {} client={} caller={} ({}){}", TwilioSignatureFilter.clip(callSid),
                    call.from(), call.to(), done.word(), d.client(), d.caller().number(), d.caller().callerClass().word(),
                    ar.result() ? "" : ", retried");
            if (ar.result() && live != null) publish(live);
            xml(ctx, twiml);
        });
    }

    private String screen(List<TwilioCalls.Endpoint> endpoints, Place place, String display, String callSid) {
        return VoiceTwiml.screen(endpoints, place.defaults.ringScreen(), display,
                url("/twilio/status", "leg", "secretary", "call", callSid), url("/twilio/dial-result", "stage", "screen"));
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
            xml(ctx, VoiceTwiml.whisper(prompts, display, url("/twilio/whisper", "call", parent, "step", "answer")));
            return;
        }
        if (!"1".equals(p.optional("Digits"))) {
            xml(ctx, VoiceTwiml.hangup()); // the <Dial> then ends without a bridge and the call falls back
            return;
        }
        Instant now = routing.now();
        blocking(ctx, () -> {
            calls.markAccepted(parent, now);
            return calls.markOutcome(parent, CallRecord.Outcome.ANSWERED, now) ? calls.find(parent) : Optional.<CallRecord>empty();
        }, answered -> {
            LOG.info("twilio whisper [call {}]: client accepted", TwilioSignatureFilter.clip(parent));
            answered.ifPresent(r -> publish(update(r, CallState.ANSWERED, display(r), targets(r),
                    p.optional("To") != null ? p.optional("To") : reach(r), now)));
            xml(ctx, VoiceTwiml.empty()); // an empty document ends the whisper and connects the two
        });
    }

    private void dialResult(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String dialStatus = p.required("DialCallStatus");
        boolean putThrough = "put-through".equals(p.query("stage"));
        // a put-through the secretary chose falls back to a message, not to the secretaries once more
        boolean thenSecretaries = !"message".equals(p.query("then"));
        Instant now = routing.now();
        blocking(ctx, () -> {
            Optional<CallRecord> found = calls.find(callSid);
            CallRecord rec = found.orElse(null);
            boolean answered = found.map(r -> r.outcome() == CallRecord.Outcome.ANSWERED).orElse(false)
                    || !putThrough && TALKED.contains(dialStatus);
            List<CallUpdate> live = new ArrayList<>();
            Action next;
            if (answered) {
                // the dial ends after the conversation and the call with it (we hang up)
                next = null;
                boolean nowAnswered = calls.markOutcome(callSid, CallRecord.Outcome.ANSWERED, now);
                boolean ended = calls.markEnded(callSid, now);
                if (rec != null && nowAnswered) {
                    // the secretary's leg did not report it: if one endpoint rang, she took it
                    List<String> rung = targets(rec);
                    live.add(update(rec, CallState.ANSWERED, display(rec), rung, rung.size() == 1 ? rung.get(0) : null, now));
                }
                if (rec != null && ended) {
                    CallRecord over = calls.find(callSid).orElse(rec);
                    live.add(update(over, CallState.ENDED, display(over), targets(over), answeredBy(live), now));
                }
            } else {
                next = putThrough && thenSecretaries && rec != null
                        && !TwilioCalls.endpoints(rec.screenTargets()).isEmpty() ? Action.SCREEN : Action.MESSAGE;
                boolean moved = next == Action.SCREEN
                        ? calls.advance(callSid, Action.SCREEN, Set.of(Action.PUT_THROUGH), now)
                        : calls.advance(callSid, Action.MESSAGE, Set.of(Action.PUT_THROUGH, Action.SCREEN), now);
                CallRecord at = moved ? calls.find(callSid).orElse(null) : null;
                if (at != null) {
                    live.add(update(at, next == Action.SCREEN ? CallState.RINGING : CallState.MESSAGE, display(at),
                            targets(at), null, now));
                }
            }
            return new DialOutcome(rec, next, live);
        }, r -> {
            CallRecord rec = r.record;
            Place place = placeOf(rec);
            String twiml;
            String step;
            if (r.next == null) {
                twiml = VoiceTwiml.hangup();
                step = "answered, done";
            } else if (r.next == Action.SCREEN) {
                twiml = screen(TwilioCalls.endpoints(rec.screenTargets()), place, p.query("display"), callSid);
                step = "not taken (" + dialStatus + "), ringing the secretaries";
            } else {
                twiml = VoiceTwiml.record(place.prompts(), greeting(rec), url("/twilio/recording"));
                step = "not taken (" + dialStatus + "), recording a message";
            }
            LOG.info("twilio dial result [call {}]: {} {}", TwilioSignatureFilter.clip(callSid),
                    putThrough ? "put-through" : "screen", step);
            r.live.forEach(this::publish);
            xml(ctx, twiml);
        });
    }

    /** What the dial result leads to: {@code next} null = answered and over, else the stage the call goes to. */
    private record DialOutcome(CallRecord record, Action next, List<CallUpdate> live) {
    }

    private static String answeredBy(List<CallUpdate> published) {
        return published.isEmpty() ? null : published.get(0).answeredBy();
    }

    private void recording(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String callSid = p.required("CallSid");
        String recordingUrl = p.required("RecordingUrl");
        String recordingSid = p.required("RecordingSid");
        String duration = p.optional("RecordingDuration");
        Instant now = routing.now();
        if ("0".equals(duration)) {
            blocking(ctx, () -> calls.find(callSid), rec ->
                    xml(ctx, VoiceTwiml.nothingRecorded(placeOf(rec.orElse(null)).prompts())));
            return;
        }
        blocking(ctx, () -> {
            Optional<CallRecord> known = calls.find(callSid);
            // a recording without a call: the fallback TwiML took the call while we were away; decide it now
            CallRecord rec = known.orElseGet(() -> fromParams(p, callSid, now));
            Optional<Long> id = calls.settle(callSid, CallRecord.Outcome.RECORDED, known.isPresent() ? null : rec, now,
                    r -> messages.take(message(r, MessageKind.RECORDING, recordingUrl)));
            return new Settled(rec, id);
        }, s -> {
            if (s.messageId.isPresent()) {
                publish(new CallUpdate(callSid, CallState.ENDED, s.record.clientId(), caller(s.record),
                        s.record.callerName(), s.record.line(), display(s.record), List.of(), null, recordingUrl,
                        s.record.urgent(), s.record.stage().word(), 0, now));
            }
            if (s.messageId.isPresent()) {
                LOG.info("twilio recording [call {}]: message {} for client {} ({} s, {}{})",
                        TwilioSignatureFilter.clip(callSid), s.messageId.get(), s.record.clientId(),
                        duration == null ? "?" : duration, TwilioSignatureFilter.clip(recordingSid),
                        s.record.urgent() ? ", urgent" : "");
            } else {
                LOG.info("twilio recording [call {}]: call already settled, {} not stored again",
                        TwilioSignatureFilter.clip(callSid), TwilioSignatureFilter.clip(recordingSid));
            }
            xml(ctx, VoiceTwiml.thanks(placeOf(s.record).prompts()));
        });
    }

    private record Settled(CallRecord record, Optional<Long> messageId) {
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
            if (!"in-progress".equals(callStatus) && !"answered".equals(callStatus)) {
                xml(ctx, VoiceTwiml.empty());
                return;
            }
            blocking(ctx, () -> calls.markOutcome(parent, CallRecord.Outcome.ANSWERED, now)
                    ? calls.find(parent) : Optional.<CallRecord>empty(), answered -> {
                LOG.info("twilio status [call {}]: a secretary answered", TwilioSignatureFilter.clip(parent));
                // the leg's To is the endpoint that answered: client:anna, sip:ben@...
                answered.ifPresent(r -> publish(update(r, CallState.ANSWERED, display(r), targets(r), p.optional("To"), now)));
                xml(ctx, VoiceTwiml.empty());
            });
            return;
        }
        String direction = p.optional("Direction");
        if (!ENDED.contains(callStatus) || direction != null && !direction.equals("inbound")) {
            xml(ctx, VoiceTwiml.empty());
            return;
        }
        blocking(ctx, () -> {
            Optional<CallRecord> known = calls.find(callSid);
            CallRecord rec;
            if (known.isPresent()) {
                rec = known.get();
                if (rec.outcome() != null || rec.action() == Action.REJECT) {
                    // answered, recorded or rejected: over now; the first report of it says so
                    return calls.markEnded(callSid, now)
                            ? Optional.of(update(rec, CallState.ENDED, display(rec), targets(rec), null, now))
                            : Optional.<CallUpdate>empty();
                }
            } else {
                if (p.optional("To") == null) return Optional.<CallUpdate>empty();
                rec = fromParams(p, callSid, now);
                if (rec.action() == Action.REJECT) return Optional.<CallUpdate>empty();
            }
            CallRecord missed = rec;
            return calls.settle(callSid, CallRecord.Outcome.MISSED, known.isPresent() ? null : rec, now,
                    r -> messages.take(message(r, MessageKind.MISSED, null)))
                    .map(m -> update(missed, CallState.MISSED, display(missed), targets(missed), null, now).withMessageId(m));
        }, live -> {
            live.ifPresent(u -> {
                if (u.state() == CallState.MISSED) {
                    LOG.info("twilio status [call {}]: {} without answer or recording: missed-call message {}",
                            TwilioSignatureFilter.clip(callSid), callStatus, u.messageId());
                }
                publish(u);
            });
            xml(ctx, VoiceTwiml.empty());
        });
    }

    /** The URL a call is redirected to for a secretary's {@code choice} ({@code put-through} or {@code voicemail}). */
    static String choiceUrl(TwilioSettings settings, String choice) {
        return settings.url(CHOICE_PATH + "?choice=" + URLEncoder.encode(choice, StandardCharsets.UTF_8));
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
        blocking(ctx, () -> {
            CallRecord rec = calls.find(callSid).orElse(null);
            String reach = "put-through".equals(choice) ? reach(rec) : null;
            // the client's reach rings again (a new stage), or the caller goes to the recording
            boolean moved = rec != null && (reach != null
                    ? calls.advance(callSid, Action.PUT_THROUGH, Set.of(Action.SCREEN), now)
                    : calls.advance(callSid, Action.MESSAGE, Set.of(Action.PUT_THROUGH, Action.SCREEN), now));
            CallRecord at = moved ? calls.find(callSid).orElse(null) : null;
            CallUpdate live = at == null ? null : update(at, reach != null ? CallState.RINGING : CallState.MESSAGE,
                    display(at), targets(at), null, now);
            return new Chosen(rec, reach, live);
        }, chosen -> {
            CallRecord rec = chosen.record;
            Place place = placeOf(rec);
            String reach = chosen.reach;
            String twiml;
            String step;
            if (reach != null) {
                String display = display(rec);
                twiml = VoiceTwiml.putThrough(reach, place.defaults.ringPutThrough(),
                        url("/twilio/whisper", "call", callSid, "lang", place.lang(), "display", display),
                        url("/twilio/dial-result", "stage", "put-through", "then", "message"));
                step = "ringing the client";
            } else {
                twiml = VoiceTwiml.record(place.prompts(), greeting(rec), url("/twilio/recording"));
                step = "put-through".equals(choice) ? "no client reach any more, recording a message" : "recording a message";
            }
            LOG.info("twilio choice [call {}]: {}, {}", TwilioSignatureFilter.clip(callSid), choice, step);
            if (chosen.live != null) publish(chosen.live);
            xml(ctx, twiml);
        });
    }

    private record Chosen(CallRecord record, String reach, CallUpdate live) {
    }

    /** The client's reach for a put-through of this call, from the book in force; null if there is none. */
    private String reach(CallRecord rec) {
        if (rec == null || rec.clientId() == null || rec.line() == null) return null;
        BookIndex.ClientEntry e = routing.snapshot().book().client(rec.clientId());
        return e == null ? null : e.client().reach();
    }

    // ---- live call state (vorzimmer.calls) ------------------------------------------------------------------

    /** Publishes a change of a call's live state; call it only once the change is committed. */
    private void publish(CallUpdate u) {
        LOG.info("twilio call state [call {}]: {} stage={} targets={} answeredBy={}", TwilioSignatureFilter.clip(u.callId()),
                u.state().word(), u.stage(), u.targets(), u.answeredBy());
        vertx.eventBus().publish(CallUpdate.ADDRESS, u.toJson());
    }

    private static CallUpdate update(CallRecord r, CallState state, String display, List<String> targets,
                                     String answeredBy, Instant at) {
        return new CallUpdate(r.callSid(), state, r.clientId(), caller(r), r.callerName(), r.line(), display, targets,
                answeredBy, null, r.urgent(), r.stage().word(), 0, at);
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

    /** The phones' "Müller: caller": not stored with the call, so the core renders it again from what is. */
    private String display(CallRecord r) {
        if (r == null || r.line() == null) return null;
        return routing.decide(new Call(r.line(), caller(r), null, caller(r).isEmpty(), r.callerName()),
                routing.now()).display();
    }

    private static NewMessage message(CallRecord r, MessageKind kind, String recordingUrl) {
        return new NewMessage(r.clientId(), r.line(), r.callerNumber(), r.callerName(), kind, null, recordingUrl,
                r.urgent(), false, Map.of(), r.callSid());
    }

    /** The decision for a call we have no record of, from the parameters of a later callback. */
    private CallRecord fromParams(TwilioParams p, String callSid, Instant now) {
        Call call = TwilioCalls.toCall(p);
        Decision d = routing.decide(call, now);
        Place place = place(d.client());
        return new CallRecord(callSid, now, d.client(), d.line(), d.caller().number(),
                d.caller().contact(), d.action(), d.urgent(),
                place.language, place.region, d.screenTarget(), false, null, null);
    }

    private void fallback(RoutingContext ctx) {
        xml(ctx, fallback);
    }

    // ---- SMS ---------------------------------------------------------------------------------------------

    private void sms(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String messageSid = p.required("MessageSid");
        String from = p.required("From");
        String body = p.present("Body");
        Instant now = routing.now();
        BookIndex index = routing.snapshot().book();
        String sender = PhoneNumbers.normalizeIncoming(from, index.book().defaults().region());
        Client client = clientBySmsNumber(index, sender);
        if (client == null) {
            LOG.info("twilio sms {}: from unregistered number {}, ignored", TwilioSignatureFilter.clip(messageSid), sender);
            sms(ctx, SmsReplies.unknownSender());
            return;
        }
        ZonedDateTime localNow = now.atZone(client.timezone());
        SmsReplies replies = new SmsReplies(client.language(), localNow);
        SmsCommand command = SmsCommandParser.parse(body, localNow, client.region());
        Override override = null;
        if (command instanceof SmsCommand.SetStatus s) {
            override = new Override(0, client.id(), s.kind(), null, now, s.until(), s.note(), "sms");
        } else if (command instanceof SmsCommand.Expect e) {
            override = new Override(0, client.id(), OverrideKind.EXPECT, e.number(), now, e.until(), e.note(), "sms");
        }
        if (override == null) {
            String reply;
            if (command instanceof SmsCommand.Query) reply = statusReply(client, replies, now);
            else if (command instanceof SmsCommand.Invalid i) reply = replies.invalid(i);
            else reply = replies.help();
            LOG.info("twilio sms {}: client {}: {}", TwilioSignatureFilter.clip(messageSid), client.id(),
                    command.getClass().getSimpleName());
            sms(ctx, reply);
            return;
        }
        Override toStore = override;
        blocking(ctx, () -> {
            Override stored = overrides.add(toStore);
            statusChanged.run();
            return stored;
        }, stored -> {
            LOG.info("twilio sms {}: client {}: override {} {}{}", TwilioSignatureFilter.clip(messageSid), client.id(),
                    stored.id(), stored.kind().word(), stored.until() == null ? "" : " until " + stored.until());
            String reply = stored.kind() == OverrideKind.EXPECT
                    ? replies.expecting(stored.number().toString(), stored.until())
                    : replies.statusSet(stored.kind(), stored.until(), reading(client, now).status());
            sms(ctx, reply);
        });
    }

    private String statusReply(Client client, SmsReplies replies, Instant now) {
        StatusTimeline.Reading r = reading(client, now);
        List<String> expected = new ArrayList<>();
        List<Override> all = routing.snapshot().live().of(client.id());
        for (Override o : all) {
            if (o.kind() == OverrideKind.EXPECT && StatusTimeline.expecting(all, o.number().digits(), now) == o) {
                expected.add(o.number().toString());
            }
        }
        return replies.status(r.status(), r.until(), r.override() != null
                && r.override().kind() != OverrideKind.SCHEDULE, expected);
    }

    private StatusTimeline.Reading reading(Client client, Instant now) {
        LiveStatus live = routing.snapshot().live();
        return StatusTimeline.at(live.of(client.id()), client.hours(), client.timezone(), now);
    }

    private static Client clientBySmsNumber(BookIndex index, String e164) {
        for (Client c : index.book().clients()) {
            if (e164.equals(c.sms()) || e164.equals(c.reach())) return c;
        }
        return null;
    }

    /** Delivery reports for SMS we sent: handed to the outbox over the event bus. */
    private void smsStatus(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        JsonObject report = new JsonObject().put("messageSid", p.required("MessageSid"))
                .put("status", p.required("MessageStatus")).put("errorCode", p.optional("ErrorCode"))
                .put("at", routing.now().toString());
        vertx.eventBus().publish(SMS_STATUS_ADDRESS, report);
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML).end(new MessagingResponse.Builder().build().toXml());
    }

    private static void sms(RoutingContext ctx, String text) {
        Message m = new Message.Builder().body(new Body.Builder(text).build()).build();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML)
                .end(new MessagingResponse.Builder().message(m).build().toXml());
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    /** Where a call's client lives: language, region, the book's ring times. */
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
        if (r == null) return place((String) null);
        return new Place(r.language(), r.region(), routing.snapshot().book().book().defaults());
    }

    private static Prompts prompts(String lang) {
        if (lang == null) return Prompts.of("de", "DE");
        int dash = lang.indexOf('-');
        return dash < 0 ? Prompts.of(lang, null) : Prompts.of(lang.substring(0, dash), lang.substring(dash + 1));
    }

    private String greeting(CallRecord rec) {
        if (rec == null || rec.clientId() == null) return null;
        BookIndex.ClientEntry e = routing.snapshot().book().client(rec.clientId());
        return e == null ? null : e.client().greeting();
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

    private <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
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

    private static void xml(RoutingContext ctx, String twiml) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, XML).end(twiml);
    }

    private void failure(RoutingContext ctx) {
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
