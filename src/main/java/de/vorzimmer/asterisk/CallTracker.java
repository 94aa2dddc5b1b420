package de.vorzimmer.asterisk;

import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Follows inbound calls through the Vorzimmer dialplan from AMI events and says when their live state
 * changes. Pure: events in, {@link CallUpdate}s out, no I/O and no clock (each event carries its instant).
 * Not thread-safe: feed it from one thread, in the order Asterisk sent the events.
 *
 * <p>What the dialplan ({@code extensions_vorzimmer.conf}) guarantees and this class relies on:
 * <ul>
 *   <li>{@code VZ_DIALED} is set first on a channel entering {@code vorzimmer-in}: that starts tracking,
 *       and that channel's unique id is the call id;</li>
 *   <li>{@code VZ_CLIENT}, {@code VZ_DISPLAY}, {@code VZ_URGENT}, {@code VZ_TARGETS}, {@code VZ_SAFE_CALLER} ...
 *       describe the call; {@code VZ_STAGE} names what the dialplan does now (put-through, screen, message,
 *       reject, fallback) and {@code VZ_SCREEN_TARGETS} whom a screen or fallback stage rings;</li>
 *   <li>{@code VZ_RECORDING} is set right before {@code Record()}.</li>
 * </ul>
 * A call is answered when the inbound channel, after a {@code DialEnd} with {@code ANSWER}, enters a bridge:
 * a put-through client who answers but does not accept the whisper gives a {@code DialEnd ANSWER} yet is
 * never bridged. A channel that hangs up before any stage began (a phone-in call, or a caller gone during
 * the AGI round trip) is forgotten without an update.
 */
public final class CallTracker {
    /** Calls followed at most at once; beyond this the oldest is forgotten (its Hangup was lost). */
    static final int MAX_CALLS = 10_000;
    private static final Pattern CHANNEL_SUFFIX = Pattern.compile("^(.+)-[0-9a-fA-F]{8}(;[12])?$");

    private static final class Track {
        final String callId;
        String client;
        String caller = "";
        String callerName;
        String dialed;
        String forwarded;
        /** The line as the decision read it (E.164), once there is a decision. */
        String decidedLine;
        String display;
        boolean urgent;
        List<String> targets = List.of();
        List<String> screenTargets = List.of();
        final List<String> dialled = new ArrayList<>();
        String stage;
        boolean ringingSent;
        String candidate;
        String answeredBy;
        String recording;
        CallDecision decision;
        CallEvent lastUpdate;
        CallState lastState;

        Track(String callId) {
            this.callId = callId;
        }

        String line() {
            if (decidedLine != null) return decidedLine;
            return forwarded != null && !forwarded.isEmpty() ? forwarded : dialed;
        }
    }

    private final Map<String, Track> calls = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Track> eldest) {
            return size() > MAX_CALLS;
        }
    };
    /** Unique id of a dialled channel -> call id of the inbound channel that dialled it. */
    private final Map<String, String> dialledBy = new HashMap<>();
    /** Decisions that came before their call's first event (a race between the event bus and AMI). */
    private final Map<String, CallDecision> early = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallDecision> eldest) {
            return size() > MAX_EARLY_DECISIONS;
        }
    };
    static final int MAX_EARLY_DECISIONS = 1_000;

    /** How a raw number from the dialplan (national, as the trunk sent it) is written in E.164; pure. */
    private final UnaryOperator<String> e164;

    /** A tracker that passes numbers on as the dialplan reported them. */
    public CallTracker() {
        this(UnaryOperator.identity());
    }

    /**
     * @param e164 writes a number the dialplan reported ({@code 0309876543}) in E.164 ({@code +49309876543}), or gives
     *             it back as it is when it cannot: the live state speaks E.164 like the decision, which it uses when
     *             the call carries one
     */
    public CallTracker(UnaryOperator<String> e164) {
        this.e164 = java.util.Objects.requireNonNull(e164, "e164 == null");
    }

    /**
     * The routing core's decision for a call (published by whichever node's FastAGI decided it). Later updates
     * carry it; if the call already rings, the ringing update is given again with it.
     */
    public List<CallUpdate> decided(CallDecision d) {
        Track t = calls.get(d.callId());
        if (t == null) {
            early.put(d.callId(), d);
            return List.of();
        }
        t.decision = d;
        if (t.lastState == CallState.RINGING) return List.of(update(t, CallState.RINGING, t.lastUpdate));
        return List.of();
    }

    /** The updates {@code event} causes, usually none or one. */
    public List<CallUpdate> on(CallEvent event) {
        if (event instanceof CallEvent.VarSet v) return varSet(v);
        if (event instanceof CallEvent.DialBegin d) return dialBegin(d);
        if (event instanceof CallEvent.DialEnd d) return dialEnd(d);
        if (event instanceof CallEvent.BridgeEnter b) return bridgeEnter(b);
        if (event instanceof CallEvent.Hangup h) return hangup(h);
        throw new IllegalArgumentException("unknown call event " + event);
    }

    /** True while the call with this id (the inbound channel's unique id) is being followed. */
    public boolean follows(String callId) {
        return calls.containsKey(callId);
    }

    /** The client of a followed call, or null (unknown line, or not followed). */
    public String client(String callId) {
        Track t = calls.get(callId);
        return t == null ? null : t.client;
    }

    /** Number of calls being followed. */
    public int active() {
        return calls.size();
    }

    /** Forgets every call, e.g. after an AMI reconnect, when Hangups may have been lost. */
    public void clear() {
        calls.clear();
        dialledBy.clear();
        early.clear();
    }

    private List<CallUpdate> varSet(CallEvent.VarSet v) {
        if (v.name().equals("VZ_DIALED")) {
            Track t = calls.computeIfAbsent(v.uniqueId(), Track::new);
            t.dialed = v.value();
            CallDecision d = early.remove(v.uniqueId());
            if (d != null) t.decision = d;
            return List.of();
        }
        Track t = calls.get(v.uniqueId());
        if (t == null) return List.of();
        String value = v.value();
        switch (v.name()) {
            case "VZ_CLIENT" -> t.client = value.isEmpty() ? null : value;
            case "VZ_SAFE_CALLER" -> t.caller = value;
            case "VZ_SAFE_CALLER_NAME" -> t.callerName = value.isEmpty() ? null : value;
            case "VZ_SAFE_FWD" -> t.forwarded = value;
            case "VZ_LINE" -> {
                // the decision's line; the fallback stage's VZ_LINE is the delivered one, as line() would give it
                if (!"fallback".equals(t.stage)) t.decidedLine = value.isEmpty() ? null : value;
            }
            case "VZ_DISPLAY" -> t.display = value.isEmpty() ? null : value;
            case "VZ_URGENT" -> t.urgent = value.equals("1");
            case "VZ_TARGETS" -> t.targets = split(value);
            case "VZ_SCREEN_TARGETS" -> t.screenTargets = split(value);
            case "VZ_STAGE" -> {
                if (!value.isEmpty() && t.answeredBy == null) {
                    t.stage = value;
                    t.ringingSent = false;
                    t.candidate = null;
                    t.dialled.clear();
                }
            }
            case "VZ_RECORDING" -> {
                if (!value.isEmpty() && t.recording == null && t.answeredBy == null) {
                    t.recording = value;
                    return List.of(update(t, CallState.MESSAGE, v));
                }
            }
            default -> {
                // other VZ_* variables do not change the live state
            }
        }
        return List.of();
    }

    private List<CallUpdate> dialBegin(CallEvent.DialBegin d) {
        Track t = calls.get(d.uniqueId());
        if (t == null || t.answeredBy != null) return List.of();
        if (d.destUniqueId() != null) dialledBy.put(d.destUniqueId(), t.callId);
        String endpoint = endpoint(d.destChannel());
        if (endpoint != null) t.dialled.add(endpoint);
        if (t.ringingSent) return List.of();
        t.ringingSent = true;
        return List.of(update(t, CallState.RINGING, d));
    }

    private List<CallUpdate> dialEnd(CallEvent.DialEnd d) {
        Track t = calls.get(d.uniqueId());
        if (t != null && t.answeredBy == null && d.status().equals("ANSWER")) t.candidate = endpoint(d.destChannel());
        return List.of();
    }

    private List<CallUpdate> bridgeEnter(CallEvent.BridgeEnter b) {
        Track t = calls.get(b.uniqueId());
        String answeredBy = t == null ? null : t.candidate;
        if (t == null) {
            String callId = dialledBy.get(b.uniqueId());
            t = callId == null ? null : calls.get(callId);
            answeredBy = endpoint(b.channel());
            if (t != null && t.candidate != null) answeredBy = t.candidate;
            // a dialled channel bridges only after its DialEnd ANSWER; without one it is not our answer yet
            if (t != null && t.candidate == null) return List.of();
        }
        if (t == null || t.answeredBy != null || answeredBy == null) return List.of();
        t.answeredBy = answeredBy;
        return List.of(update(t, CallState.ANSWERED, b));
    }

    private List<CallUpdate> hangup(CallEvent.Hangup h) {
        dialledBy.remove(h.uniqueId());
        Track t = calls.remove(h.uniqueId());
        if (t == null) return List.of();
        dialledBy.values().removeIf(t.callId::equals);
        if (t.stage == null) return List.of();
        boolean taken = t.answeredBy != null || t.recording != null || t.stage.equals("reject");
        return List.of(update(t, taken ? CallState.ENDED : CallState.MISSED, h));
    }

    private CallUpdate update(Track t, CallState state, CallEvent cause) {
        t.lastState = state;
        t.lastUpdate = cause;
        List<String> targets = switch (t.stage == null ? "" : t.stage) {
            case "put-through" -> t.targets;
            case "screen", "fallback" -> t.screenTargets;
            default -> List.of();
        };
        if (targets.isEmpty() && !t.dialled.isEmpty()) targets = List.copyOf(t.dialled);
        CallDecision d = t.decision;
        String caller = d != null ? d.callerNumber() : t.caller.isEmpty() ? "" : e164.apply(t.caller);
        String line = d != null && d.line() != null ? d.line() : t.line() == null ? null : e164.apply(t.line());
        return new CallUpdate(t.callId, state, t.client, caller, t.callerName, line, t.display, targets,
                t.answeredBy, t.recording, t.urgent, t.stage, 0, cause.at(), t.decision);
    }

    private static List<String> split(String dialStrings) {
        List<String> out = new ArrayList<>();
        for (String s : dialStrings.split("&")) {
            if (!s.isBlank()) out.add(s.trim());
        }
        return List.copyOf(out);
    }

    /**
     * The endpoint a channel belongs to: {@code PJSIP/anna-0000002a} is {@code PJSIP/anna},
     * {@code Local/+491701111111@vorzimmer-reach-00000003;1} is {@code Local/+491701111111@vorzimmer-reach}.
     */
    static String endpoint(String channel) {
        if (channel == null || channel.isBlank()) return null;
        Matcher m = CHANNEL_SUFFIX.matcher(channel);
        return m.matches() ? m.group(1) : channel;
    }
}
