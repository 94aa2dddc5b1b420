package de.vorzimmer.asterisk;


import de.vorzimmer.calls.CallTag;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.Secretary;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.routing.LiveRouting;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Everything the server learns from Asterisk besides FastAGI: live call state (published on
 * {@link CallUpdate#ADDRESS}), missed calls and recordings stored as messages, secretaries' duty from device
 * state, and callbacks. AMI runs only when {@code ami.host} is set; the recordings folder is scanned (at start
 * and every {@link #SCAN_SECONDS} s) only when {@code asterisk.recordings} is set.
 *
 * <p>All store work happens on one worker thread, in event order.
 */
public final class AsteriskLive implements AutoCloseable, AmiService.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(AsteriskLive.class);
    static final int SCAN_SECONDS = 10;

    /** Where live state goes: an event-bus publish in the server. Called from the worker thread. */
    @FunctionalInterface
    public interface Publisher {
        void publish(String address, JsonObject body);
    }

    private final LiveRouting routing;
    private final CallMessages messages;
    private final DevicePresence presence;
    private final Publisher publisher;
    private final ScheduledExecutorService worker;
    private final CallTracker tracker;
    private final RecordingImporter importer;
    private final DialStrings dial;
    private final Settings settings;
    private volatile AmiService ami;
    private java.util.concurrent.ScheduledFuture<?> scans;
    /** Whether this node acts on what the PBX reports (it holds the PBX's lease); a standby only follows. */
    private volatile boolean acting;
    /** Missed calls a standby saw lately (worker thread only): the new holder stores them, as its predecessor may not have. */
    private final java.util.ArrayDeque<CallUpdate> recentlyMissed = new java.util.ArrayDeque<>();
    /**
     * Each phone's latest device state since the AMI connect (worker thread only): a node that starts acting sets duty
     * from it, as after a connect, so a phone that went away while this node stood by is off duty here too.
     */
    private final Map<String, String> deviceStates = new java.util.LinkedHashMap<>();
    /** How long a standby keeps what it saw: longer than a lease take-over takes. */
    static final java.time.Duration REMEMBER_MISSED = java.time.Duration.ofSeconds(30);

    private AsteriskLive(Settings settings, LiveRouting routing, CallMessages messages, DevicePresence presence,
                         Publisher publisher, RecordingImporter importer, DialStrings dial) {
        this.settings = settings;
        this.routing = routing;
        this.messages = messages;
        this.presence = presence;
        this.publisher = publisher;
        this.importer = importer;
        this.dial = dial;
        // raw numbers from the dialplan in E.164, read with the book's region as the routing core reads them
        this.tracker = new CallTracker(n -> PhoneNumbers.looksAnonymous(n) ? n
                : PhoneNumbers.normalizeIncoming(n, routing.snapshot().book().book().defaults().region()));
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "asterisk-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What to connect to.
     *
     * @param ami        the AMI connection, or null to run without AMI (no live call state, device state or callbacks)
     * @param recordings the folder Asterisk records messages into, or null to import recordings only from AMI events
     * @param dial       how put-through targets are dialled
     * @param pbxRecordings the recordings folder as Asterisk names it, when that differs from {@code recordings}
     *                   (another mount point, a container): recording paths under it are stored under
     *                   {@code recordings}; or null
     */
    public record Settings(AmiService.Settings ami, Path recordings, DialStrings dial, Path pbxRecordings) {
        public Settings {
            Objects.requireNonNull(dial, "dial == null");
        }

        public Settings(AmiService.Settings ami, Path recordings, DialStrings dial) {
            this(ami, recordings, dial, null);
        }

        /** The recording path Asterisk reported, as this server reads it. */
        String local(String pbxPath) {
            if (pbxRecordings == null || recordings == null || pbxPath == null) return pbxPath;
            Path p = Path.of(pbxPath);
            return p.startsWith(pbxRecordings) ? recordings.resolve(pbxRecordings.relativize(p)).toString() : pbxPath;
        }
    }

    /**
     * Starts what {@code settings} asks for and returns at once (AMI logs in in the background).
     *
     * @param messages stores missed calls and recordings (and queues their urgent SMS)
     * @param presence records secretaries' duty from device state
     */
    public static AsteriskLive start(Settings settings, LiveRouting routing, CallMessages messages,
                                     DevicePresence presence, Publisher publisher) {
        AsteriskLive live = standby(settings, routing, messages, presence, publisher);
        live.connect();
        live.act(true);
        return live;
    }

    /**
     * Builds it without connecting or acting: for a node that shares its database with others. Every node
     * {@link #connect}s and follows the PBX's calls (a warm standby); only the holder of the PBX's lease {@link #act}s
     * on them: stores missed calls and recordings, publishes live state, records device state, imports the
     * recordings folder.
     */
    public static AsteriskLive standby(Settings settings, LiveRouting routing, CallMessages messages,
                                       DevicePresence presence, Publisher publisher) {
        Objects.requireNonNull(settings, "settings == null");
        Objects.requireNonNull(publisher, "publisher == null");
        RecordingImporter importer = settings.recordings() != null ? new RecordingImporter(settings.recordings(), messages, settings::local) : null;
        return new AsteriskLive(settings, routing, messages, presence, publisher, importer, settings.dial());
    }

    /** Logs in to AMI (in the background), as configured, and follows the PBX's calls. */
    public synchronized void connect() {
        if (ami != null) return;
        if (settings.ami() != null) {
            ami = new AmiService(settings.ami(), worker, this,
                    r -> publisher.publish(CallbackResult.ADDRESS, r.toJson()), routing.clock());
            ami.start();
        } else {
            LOG.info("AMI: off (no ami.host): no live call state, device state or callbacks");
        }
    }

    /**
     * Starts or stops acting on the PBX (see {@link #standby}). Starting stores the missed calls seen while standing
     * by (storing is idempotent per call, so those the previous holder stored are not stored twice) and scans the
     * recordings folder at once.
     */
    public synchronized void act(boolean on) {
        if (on == acting) return;
        acting = on;
        if (worker.isShutdown()) return;
        if (on) {
            worker.execute(() -> {
                presence.reset();
                deviceStates.forEach(presence::deviceState);
                List<CallUpdate> missed = List.copyOf(recentlyMissed);
                recentlyMissed.clear();
                if (!missed.isEmpty()) LOG.info("PBX taken over: storing {} missed call(s) seen while standing by", missed.size());
                publish(missed);
            });
            if (importer != null) {
                scans = worker.scheduleWithFixedDelay(this::scan, 0, SCAN_SECONDS, TimeUnit.SECONDS);
            } else {
                LOG.info("recordings: no asterisk.recordings folder configured; recordings are imported only from AMI events");
            }
        } else if (scans != null) {
            scans.cancel(false);
            scans = null;
        }
    }

    /** True while this node acts on the PBX. */
    public boolean acting() {
        return acting;
    }

    /** The AMI link, or null without {@code ami.host}. */
    AmiService ami() {
        return ami;
    }

    /** True while AMI is logged in. */
    public boolean amiConnected() {
        AmiService a = ami;
        return a != null && a.connected();
    }

    /**
     * Calls {@code number} back for secretary {@code secretaryId}: her phone rings first, then the caller is
     * dialled through {@code vorzimmer-reach}. Returns at once; see {@link AmiService#originate}.
     *
     * @throws CallbackException naming the field ({@code secretary}, {@code number}) or, with no field, when AMI
     *                           is not configured or not connected
     */
    public PendingCallback callback(String secretaryId, String number) {
        if (secretaryId == null || secretaryId.isBlank()) throw new CallbackException("secretary", "field 'secretary' is missing");
        if (number == null || number.isBlank()) throw new CallbackException("number", "field 'number' is missing");
        var book = routing.snapshot().book().book();
        Secretary secretary = book.secretaries().stream().filter(s -> s.id().equals(secretaryId)).findFirst()
                .orElseThrow(() -> new CallbackException("secretary", "field 'secretary': no secretary '"
                        + AgiCalls.clip(secretaryId) + "' in the book"));
        String endpoint = secretary.endpoint();
        if (endpoint.indexOf('/') <= 0 || endpoint.startsWith("sip:") || endpoint.startsWith("client:")) {
            throw new CallbackException("secretary", "field 'secretary': endpoint '" + endpoint + "' of '"
                    + secretaryId + "' is not an Asterisk dial string");
        }
        String e164;
        try {
            e164 = PhoneNumbers.toE164(number, book.defaults().region());
        } catch (IllegalArgumentException e) {
            throw new CallbackException("number", "field 'number': '" + AgiCalls.clip(number) + "' is not a phone number ("
                    + e.getMessage() + ")");
        }
        AmiService a = ami;
        if (a == null) throw new CallbackException(null, "AMI is not configured (ami.host) or followed by another node");
        return a.originate(secretary.id(), endpoint, e164);
    }

    /** Dialplan context whose extensions carry out an action ({@code asterisk-config/extensions_vorzimmer.conf}). */
    static final String ACT_CONTEXT = "vorzimmer-act";

    /**
     * Carries out a secretary's choice for a ringing call (from the console's screen-pop): {@code put-through}
     * moves the caller to the client's mobile (whisper; if the client does not take it, a message),
     * {@code voicemail} to the greeting and recording, and {@code message} needs nothing of the PBX (the
     * secretary answers and types the message). Completes with what was done.
     */
    public CompletableFuture<String> carryOut(String callId, String choice) {
        AmiService ami = this.ami;
        if (ami == null) return CompletableFuture.failedFuture(new CallbackException(null,
                "AMI is not configured (ami.host) or followed by another node"));
        return CompletableFuture.supplyAsync(() -> {
            if (!tracker.follows(callId)) throw new IllegalArgumentException("no call '" + AgiCalls.clip(callId) + "' in progress");
            return Optional.ofNullable(tracker.client(callId));
        }, worker).thenCompose(client -> switch (choice) {
            case "voicemail" -> ami.redirect(callId, Map.of("VZ_STAGE", ""), ACT_CONTEXT, "message")
                    .thenApply(v -> "sent to voicemail");
            case "put-through" -> {
                String id = client.orElseThrow(() -> new IllegalArgumentException("call " + callId + " is for no client"));
                var entry = routing.snapshot().book().client(id);
                String reach = entry == null ? null : entry.client().reach();
                if (reach == null) throw new IllegalArgumentException("client '" + id + "' has no reach number");
                String target = dial.reach(reach);
                // an empty fallback: if the client does not take the call, the caller leaves a message
                yield ami.redirect(callId, Map.of("VZ_TARGETS", target, "VZ_FALLBACK_TARGETS", "", "VZ_STAGE", ""),
                        ACT_CONTEXT, "put-through").thenApply(v -> "put through to " + reach);
            }
            case "message" -> CompletableFuture.completedFuture("the secretary takes the message");
            default -> throw new IllegalArgumentException("unknown choice '" + AgiCalls.clip(choice) + "'");
        });
    }

    /** Runs one scan of the recordings folder now, on the worker, and returns how many messages it stored. */
    public CompletableFuture<Integer> scanNow() {
        if (importer == null) return CompletableFuture.completedFuture(0);
        return CompletableFuture.supplyAsync(this::scan, worker);
    }

    private int scan() {
        try {
            return importer.scan();
        } catch (RuntimeException e) {
            LOG.error("recordings: scan of {} failed", importer.folder(), e);
            return 0;
        }
    }

    // ---- AMI sink, on the worker thread

    /**
     * The routing core's decision for a call, as the node that decided published it ({@code CallDecision.ADDRESS}):
     * the live state of that call carries it from now on. Returns at once; the tracker is updated on the worker.
     */
    public void decided(CallDecision d) {
        worker.execute(() -> publish(tracker.decided(d)));
    }

    @Override
    public void callEvent(CallEvent event) {
        publish(tracker.on(event));
    }

    private void publish(List<CallUpdate> updates) {
        if (!acting) {
            standingBy(updates);
            return;
        }
        for (CallUpdate u : updates) {
            MDC.put(CallTag.MDC_KEY, u.callId());
            try {
                CallUpdate out = u;
                if (u.state() == CallState.MISSED) {
                    // publish only after the commit: a missed call is a message
                    OptionalLong id = messages.missed(u);
                    if (id.isPresent()) out = u.withMessageId(id.getAsLong());
                }
                LOG.info("call {}: {} client={} caller='{}' targets={} answeredBy={}", u.callId(), u.state().word(),
                        u.client(), u.caller(), u.targets(), u.answeredBy());
                publisher.publish(CallUpdate.ADDRESS, out.toJson());
            } finally {
                MDC.remove(CallTag.MDC_KEY);
            }
        }
    }

    /** A standby keeps the missed calls of the last {@link #REMEMBER_MISSED} for a take-over, and nothing else. */
    private void standingBy(List<CallUpdate> updates) {
        java.time.Instant now = routing.now();
        while (!recentlyMissed.isEmpty() && recentlyMissed.peekFirst().at().isBefore(now.minus(REMEMBER_MISSED))) {
            recentlyMissed.removeFirst();
        }
        for (CallUpdate u : updates) {
            if (u.state() == CallState.MISSED && recentlyMissed.size() < 10_000) recentlyMissed.addLast(u);
        }
    }

    @Override
    public void deviceState(String device, String state) {
        if (device != null && deviceStates.size() < 10_000) deviceStates.put(device, state);
        if (acting) presence.deviceState(device, state);
    }

    @Override
    public void recording(VorzimmerMessageEvent event) {
        if (!acting) return; // the holder imports it; a take-over scans the recordings folder
        try {
            Sidecar s = Sidecar.of(event, routing.now());
            messages.recording(settings == null ? s : s.withRecording(settings.local(s.recording())));
        } catch (SidecarException e) {
            LOG.warn("recordings: unusable VorzimmerMessage event for {}: {}", event.getUniqueId(), e.getMessage());
        }
    }

    @Override
    public void connected() {
        tracker.clear();
        deviceStates.clear();
        presence.reset();
        if (importer != null && acting) scan();
    }

    @Override
    public void close() {
        AmiService a = ami;
        if (a != null) a.close();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
