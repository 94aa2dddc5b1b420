package de.vorzimmer.console;


import de.vorzimmer.book.Client;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.Secretary;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.messages.MessageStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live call state for the console: consumes {@value #ADDRESS} on the (possibly clustered) event bus, adds what a
 * secretary needs on a ringing call (client, greeting, status, who the caller is, earlier messages), and pushes it
 * as server-sent events to the consoles on this node whose secretary the call rings at (a call without targets
 * rings at everyone; admins see every call). A console that was shown a call hears the rest of it too (put through to
 * the client's mobile, answered there, ended), though the PBX then rings other targets. Each node enriches and pushes
 * for its own consoles.
 */
public final class CallFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallFeed.class);
    /** The live call state both PBX adapters publish ({@link CallUpdate}). */
    public static final String ADDRESS = CallUpdate.ADDRESS;
    /**
     * Alerts for all secretaries; JSON objects with a {@code type} and a human-readable {@code text}, and
     * {@code audience: "admins"} for those only the admins' consoles show (e.g. a locked console login).
     */
    public static final String ALERTS = "vorzimmer.alerts";
    /**
     * Who took a ringing call ({@code state: claimed}, with {@code choice}, {@code by}, {@code byName}), or gave it
     * back ({@code state: released}); pushed to every console the call rings at.
     */
    public static final String CLAIMS = "vorzimmer.call.claims";
    public static final String ADMINS = "admins";
    static final int EARLIER_MESSAGES = 5;
    /** Messages read to find them: those sharing the caller's last digits, newest first. */
    static final int EARLIER_CANDIDATES = 50;
    /**
     * Frames one console may be sent while its connection's write queue is full (reset whenever the queue drains)
     * before it counts as not reading: a few seconds of every call's events at 200 calls/s (an admin's console sees
     * them all), minutes of a secretary's; at most a few MB held for one stalled console.
     */
    static final int MAX_FRAMES_BEHIND = 1_000;
    /** Calls one console remembers it was shown (the oldest are forgotten beyond: a call whose end the PBX never reported). */
    static final int MAX_SHOWN_CALLS = 1_000;
    /** Ended or missed calls remembered, so that a ringing update whose screen-pop details come late is dropped. */
    static final int MAX_OVER_CALLS = 1_000;

    private final Vertx vertx;
    private final LiveRouting routing;
    /** Ids of calls that ended or were missed lately (oldest forgotten beyond {@link #MAX_OVER_CALLS}). */
    private final java.util.Set<String> over = recentIds(MAX_OVER_CALLS);
    private final MessageStore messages;
    private final CallLogStore callLog;
    private final CallHistory history;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final MessageConsumer<Object> consumer;
    private final MessageConsumer<Object> alerts;
    private final MessageConsumer<Object> claims;
    private final long heartbeat;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    /** One open console: who, its response, and how many frames it was sent since its write queue last drained. */
    private static final class Listener {
        final Principal principal;
        final HttpServerResponse response;
        final java.util.concurrent.atomic.AtomicInteger behind = new java.util.concurrent.atomic.AtomicInteger();
        /** Ids of the calls this console was shown and that have not ended yet. */
        final java.util.Set<String> shown = recentIds(MAX_SHOWN_CALLS);

        Listener(Principal principal, HttpServerResponse response) {
            this.principal = principal;
            this.response = response;
        }

        Principal principal() {
            return principal;
        }

        HttpServerResponse response() {
            return response;
        }
    }

    /** A thread-safe set of call ids that forgets the oldest added beyond {@code max}. */
    private static java.util.Set<String> recentIds(int max) {
        return java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                        return size() > max;
                    }
                }));
    }

    /**
     * @param callLog where a call's decision is read when its live state does not carry it
     * @param history the caller's earlier calls for the screen-pop, or null to show none
     */
    public CallFeed(Vertx vertx, LiveRouting routing, MessageStore messages, CallLogStore callLog, CallHistory history) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.callLog = Objects.requireNonNull(callLog, "callLog == null");
        this.history = history;
        this.consumer = vertx.eventBus().consumer(ADDRESS, m -> onCall(m.body()));
        // alerts for every secretary (e.g. a client's phone-in locked after wrong PINs)
        this.alerts = vertx.eventBus().consumer(ALERTS, m -> onAlert(m.body()));
        this.claims = vertx.eventBus().consumer(CLAIMS, m -> onClaim(m.body()));
        // A comment line every 20 s keeps proxies from closing an idle stream and notices dead connections.
        this.heartbeat = vertx.setPeriodic(20_000, id -> listeners.forEach(l -> send(l, ": keep-alive\n\n")));
    }

    /** Registers an open SSE response; it is dropped when the connection closes. */
    void listen(Principal p, HttpServerResponse response) {
        Listener l = new Listener(p, response);
        response.drainHandler(v -> l.behind.set(0));
        listeners.add(l);
        response.closeHandler(v -> listeners.remove(l));
        response.exceptionHandler(e -> listeners.remove(l));
    }

    int listenerCount() {
        return listeners.size();
    }

    private void onCall(Object body) {
        JsonObject event;
        if (body instanceof JsonObject o) event = o;
        else if (body instanceof String s) event = new JsonObject(s);
        else {
            LOG.warn("calls: ignored event of type {}", body == null ? "null" : body.getClass().getSimpleName());
            return;
        }
        if (listeners.isEmpty()) return;
        if (!"ringing".equals(event.getString("state"))) {
            fanOut(event);
            return;
        }
        // the details are read on a worker while later updates of the call go out at once: a call that ended meanwhile
        // must not ring again on a card that would then never leave
        vertx.executeBlocking(() -> enrich(event, routing.snapshot(), routing.now()), false)
                .onSuccess(enriched -> {
                    if (!over.contains(String.valueOf(event.getString("callId")))) fanOut(enriched);
                })
                .onFailure(e -> {
                    LOG.warn("call {}: screen-pop details failed: {}", event.getString("callId"), e.toString());
                    if (!over.contains(String.valueOf(event.getString("callId")))) fanOut(event);
                });
    }

    private void onAlert(Object body) {
        JsonObject alert = body instanceof JsonObject o ? o : body instanceof String t ? new JsonObject(t) : null;
        if (alert == null) {
            LOG.warn("alerts: ignored event of type {}", body == null ? "null" : body.getClass().getSimpleName());
            return;
        }
        String frame = "event: alert\ndata: " + alert.encode() + "\n\n";
        boolean adminsOnly = ADMINS.equals(alert.getString("audience"));
        for (Listener l : listeners) {
            if (!adminsOnly || l.principal().isAdmin()) send(l, frame);
        }
    }

    private void onClaim(Object body) {
        JsonObject claim = body instanceof JsonObject o ? o : body instanceof String t ? new JsonObject(t) : null;
        if (claim == null || claim.getString("callId") == null) {
            LOG.warn("claims: ignored event of type {}", body == null ? "null" : body.getClass().getSimpleName());
            return;
        }
        String frame = "event: claim\ndata: " + claim.encode() + "\n\n";
        for (Listener l : listeners) send(l, frame);
    }

    private void fanOut(JsonObject event) {
        String frame = "event: call\ndata: " + event.encode() + "\n\n";
        RoutingSnapshot snapshot = routing.snapshot();
        String callId = event.getString("callId");
        String state = event.getString("state");
        boolean over = "ended".equals(state) || "missed".equals(state);
        if (over && callId != null) this.over.add(callId);
        for (Listener l : listeners) {
            // the consoles the call was shown at follow it to its end, wherever the PBX rings it next
            boolean shown = callId != null && (over ? l.shown.remove(callId) : l.shown.contains(callId));
            if (!shown && !ringsAt(event, l.principal(), snapshot.book())) continue;
            if (callId != null && !over && !l.principal().isAdmin()) l.shown.add(callId);
            send(l, frame);
        }
    }

    /**
     * Writes one frame to one console, or drops a console that stopped reading: a frozen browser tab or a stalled
     * network leaves written frames queued in the server, so a console that was sent {@link #MAX_FRAMES_BEHIND}
     * frames since its write queue was last full and did not drain is closed instead of buffered for without limit.
     * Its browser reconnects by itself once it reads again (EventSource) and gets the live state from then on.
     */
    private void send(Listener l, String frame) {
        HttpServerResponse r = l.response();
        if (r.closed()) {
            listeners.remove(l);
            return;
        }
        if (r.writeQueueFull() && l.behind.incrementAndGet() > MAX_FRAMES_BEHIND) {
            if (listeners.remove(l)) {
                dropped.incrementAndGet();
                LOG.info("console feed of {}: not reading ({} events queued unsent); closed, the console reconnects when "
                        + "it reads again", l.principal().username(), MAX_FRAMES_BEHIND);
                r.reset();
            }
            return;
        }
        r.write(frame);
    }

    /** Consoles dropped because they stopped reading, since the start. */
    long droppedListeners() {
        return dropped.get();
    }

    /** True if the call is for this console: no targets given, an admin, or the secretary's endpoint is a target. */
    static boolean ringsAt(JsonObject event, Principal p, BookIndex book) {
        if (p.isAdmin()) return true;
        JsonArray targets = event.getJsonArray("targets");
        if (targets == null || targets.isEmpty()) return true;
        if (p.secretaryId() == null) return false;
        for (Secretary s : book.secretaries()) {
            if (!s.id().equals(p.secretaryId())) continue;
            for (Object t : targets) {
                if (t instanceof String ts && ts.trim().equalsIgnoreCase(s.endpoint())) return true;
            }
        }
        return false;
    }

    /**
     * The event with the screen-pop details added: who the caller is (as the routing core decided it, carried with
     * the call or else read from the call log), the client's greeting and status, earlier messages of this caller.
     * Nothing is decided again here. Blocking (reads the store).
     */
    JsonObject enrich(JsonObject event, RoutingSnapshot snapshot, Instant now) {
        JsonObject out = event.copy();
        String callerNumber;
        String callerName = null;
        Object caller = event.getValue("caller");
        if (caller instanceof JsonObject co) {
            callerNumber = co.getString("number", "");
            callerName = co.getString("name");
        } else {
            callerNumber = caller == null ? "" : String.valueOf(caller);
        }
        JsonObject who = new JsonObject().put("number", callerNumber).put("name", callerName);
        out.put("caller", who);
        BookIndex.ClientEntry entry = event.getString("client") == null ? null : snapshot.book().client(event.getString("client"));
        if (entry == null) {
            who.put("class", "unknown");
            return out;
        }
        Client c = entry.client();
        out.put("clientName", c.name()).put("clientShort", c.shortName()).put("greeting", c.greeting())
                .put("language", c.language());
        out.put("clientStatus", ClientJson.statusOf(c, snapshot, now));
        if (c.instructions() != null) out.put("instructions", c.instructions());
        out.put("timezone", c.timezone().getId());
        CallDecision d = decisionOf(event);
        if (d != null) {
            if (!d.callerNumber().isEmpty()) who.put("number", d.callerNumber());
            who.put("class", d.callerClass());
            if (d.contact() != null) who.put("contact", d.contact());
            if (callerName == null && d.contact() != null) who.put("name", d.contact());
            if (d.contact() != null) {
                c.contacts().stream().filter(k -> k.name().equals(d.contact()) && k.note() != null).findFirst()
                        .ifPresent(k -> who.put("note", k.note()));
            }
            out.put("why", new JsonArray(d.why())).put("urgent", event.getBoolean("urgent", false) || d.urgent());
            if (d.greeting() != null) out.put("greeting", d.greeting());
        }
        String e164 = who.getString("number", "");
        if (history != null) who.put("calls", history.earlier(c.id(), e164, event.getString("callId"), now));
        JsonArray earlier = new JsonArray();
        if (!e164.isEmpty()) {
            // candidates by the number's last digits (indexed), then compared in E.164
            for (Message m : messages.fromCaller(c.id(), e164, EARLIER_CANDIDATES)) {
                // Typed messages keep the number as the secretary wrote it; compare in E.164.
                if (m.callerNumber() == null || !e164.equals(PhoneNumbers.normalizeIncoming(m.callerNumber(), c.region()))) {
                    continue;
                }
                earlier.add(new JsonObject().put("id", m.id()).put("at", m.createdAt().toString())
                        .put("text", m.text()).put("urgent", m.urgent()).put("state", m.state().word())
                        .put("kind", m.kind().word()));
                if (earlier.size() == EARLIER_MESSAGES) break;
            }
        }
        who.put("earlier", earlier);
        out.put("intake", ClientJson.intakeOf(c));
        return out;
    }

    /** The call's decision: carried in the event, else the newest call-log row of the call; null if neither has it. */
    private CallDecision decisionOf(JsonObject event) {
        JsonObject carried = event.getValue("decision") instanceof JsonObject o ? o : null;
        if (carried != null) {
            try {
                return CallDecision.fromJson(carried);
            } catch (IllegalArgumentException e) {
                LOG.warn("call {}: unusable decision in the call event: {}", event.getString("callId"), e.getMessage());
            }
        }
        String callId = event.getString("callId");
        if (callId == null) return null;
        for (CallLogEntry row : callLog.find(null, callId, null, 1)) {
            return CallDecision.fromDecisionJson(callId, new JsonObject(row.decisionJson()), 0);
        }
        return null;
    }

    @java.lang.Override
    public void close() {
        vertx.cancelTimer(heartbeat);
        consumer.unregister();
        alerts.unregister();
        claims.unregister();
        for (Listener l : listeners) {
            if (!l.response().closed()) l.response().end();
        }
        listeners.clear();
    }
}
