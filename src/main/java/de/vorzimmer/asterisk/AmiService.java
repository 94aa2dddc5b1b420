package de.vorzimmer.asterisk;


import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.EventTimeoutException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI link: one Asterisk-Java {@link ManagerConnection}, logged in with the least-privilege user of
 * {@code manager_vorzimmer.conf}. The first login is retried in the background with backoff (1 s doubling to
 * 30 s) so the server starts without Asterisk; once logged in, Asterisk-Java reconnects by itself after a drop.
 * After every (re)connect the call tracker starts afresh and the secretaries' device states are queried.
 *
 * <p>Events are handed, in order, to one worker thread (shared with the recordings scan) which feeds the
 * {@link CallTracker}, stores missed calls and recordings, and records duty from device state; so neither
 * JDBC nor our code ever runs on Asterisk-Java's reader thread.
 */
public final class AmiService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmiService.class);
    static final long FIRST_RETRY_MILLIS = 1_000;
    static final long MAX_RETRY_MILLIS = 30_000;
    /** How long the secretary's phone rings for a callback. */
    static final int CALLBACK_RING_SECONDS = 30;
    /** Context that takes the callback's second leg out to the caller (see extensions_vorzimmer.conf). */
    static final String REACH_CONTEXT = "vorzimmer-reach";

    /** Where and as whom to log in; {@link #toString()} leaves the secret out. */
    public record Settings(String host, int port, String user, String secret) {
        public Settings {
            Objects.requireNonNull(host, "host == null");
            Objects.requireNonNull(user, "user == null");
            Objects.requireNonNull(secret, "secret == null");
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /** What the AMI events drive; implemented by {@link AsteriskLive}, called on the worker thread only. */
    interface Sink {
        void callEvent(CallEvent event);

        void deviceState(String device, String state);

        void recording(VorzimmerMessageEvent event);

        void connected();
    }

    private final Settings settings;
    private final ManagerConnection connection;
    private final ScheduledExecutorService worker;
    private final Sink sink;
    private final Consumer<CallbackResult> callbackResults;
    private final ExecutorService originates;
    private final java.time.Clock clock;
    private volatile boolean closed;
    private volatile boolean loggedIn;
    /** Counts (re)connects: a device-state retry of an earlier connection gives way to the latest one's. */
    private final java.util.concurrent.atomic.AtomicLong connects = new java.util.concurrent.atomic.AtomicLong();

    AmiService(Settings settings, ScheduledExecutorService worker, Sink sink, Consumer<CallbackResult> callbackResults,
               java.time.Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.worker = Objects.requireNonNull(worker, "worker == null");
        this.sink = Objects.requireNonNull(sink, "sink == null");
        this.callbackResults = Objects.requireNonNull(callbackResults, "callbackResults == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.connection = new ManagerConnectionFactory(settings.host(), settings.port(), settings.user(),
                settings.secret()).createManagerConnection();
        connection.registerUserEventClass(VorzimmerMessageEvent.class);
        // events of DeviceStateList's answer, which Asterisk-Java 3.41 does not know (see their classes)
        connection.registerUserEventClass(ListedDeviceStateEvent.class);
        connection.registerUserEventClass(DeviceStateListCompleteEvent.class);
        connection.addEventListener(this::onEvent);
        this.originates = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ami-originate");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts logging in in the background; returns at once. */
    void start() {
        Thread t = new Thread(this::loginLoop, "ami-login");
        t.setDaemon(true);
        t.start();
    }

    private void loginLoop() {
        long wait = FIRST_RETRY_MILLIS;
        while (!closed) {
            try {
                LOG.info("AMI: logging in to {}", settings);
                connection.login("on");
                loggedIn = true;
                LOG.info("AMI: logged in to {} (Asterisk {})", settings, connection.getVersion());
                worker.execute(this::afterConnect);
                return;
            } catch (AuthenticationFailedException e) {
                LOG.error("AMI: {} refused the login (check ami.user / ami.secret and manager_vorzimmer.conf); "
                        + "retrying in {} s", settings, wait / 1000);
            } catch (java.io.IOException | TimeoutException | IllegalStateException e) {
                LOG.warn("AMI: cannot log in to {}: {}; retrying in {} s", settings, e.getMessage(), wait / 1000);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = Math.min(wait * 2, MAX_RETRY_MILLIS);
        }
    }

    /** True while logged in and the connection is up. */
    public boolean connected() {
        return loggedIn && !closed && connection.getState() == ManagerConnectionState.CONNECTED;
    }

    private void onEvent(ManagerEvent event) {
        if (closed) return;
        Instant at = clock.instant();
        Runnable task = null;
        if (event instanceof VarSetEvent v) {
            String name = v.getVariable();
            if (name != null && name.startsWith("VZ_") && v.getUniqueId() != null) {
                CallEvent e = new CallEvent.VarSet(v.getUniqueId(), name, v.getValue(), at);
                task = () -> sink.callEvent(e);
            }
        } else if (event instanceof DialBeginEvent d) {
            if (d.getUniqueId() != null) {
                CallEvent e = new CallEvent.DialBegin(d.getUniqueId(), d.getDestChannel(), d.getDestUniqueId(), at);
                task = () -> sink.callEvent(e);
            }
        } else if (event instanceof DialEndEvent d) {
            if (d.getUniqueId() != null) {
                CallEvent e = new CallEvent.DialEnd(d.getUniqueId(), d.getDestChannel(), d.getDestUniqueId(),
                        d.getDialStatus(), at);
                task = () -> sink.callEvent(e);
            }
        } else if (event instanceof BridgeEnterEvent b) {
            if (b.getUniqueId() != null) {
                CallEvent e = new CallEvent.BridgeEnter(b.getUniqueId(), b.getChannel(), at);
                task = () -> sink.callEvent(e);
            }
        } else if (event instanceof HangupEvent h) {
            if (h.getUniqueId() != null) {
                CallEvent e = new CallEvent.Hangup(h.getUniqueId(), at);
                task = () -> sink.callEvent(e);
            }
        } else if (event instanceof DeviceStateChangeEvent d) {
            task = () -> sink.deviceState(d.getDevice(), d.getState());
        } else if (event instanceof VorzimmerMessageEvent m) {
            task = () -> sink.recording(m);
        } else if (event instanceof ConnectEvent) {
            if (loggedIn) {
                LOG.info("AMI: reconnected to {}", settings);
                task = this::afterConnect;
            }
        } else if (event instanceof DisconnectEvent) {
            if (!closed) LOG.warn("AMI: connection to {} lost; Asterisk-Java reconnects", settings);
        }
        if (task != null) submit(task);
    }

    private void submit(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("AMI: handling an event failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("AMI: event after shutdown dropped");
        }
    }

    /**
     * After a (re)connect: forget calls whose Hangup may have been lost, then ask for every device's state
     * (the answers arrive as ordinary DeviceStateChange events). Runs on the worker.
     */
    private void afterConnect() {
        sink.connected();
        // a reconnect's ConnectEvent arrives before Asterisk-Java has logged in again: wait for it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.getState() != ManagerConnectionState.CONNECTED && System.nanoTime() < deadline && !closed) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        askDeviceStates(connects.incrementAndGet(), FIRST_RETRY_MILLIS);
    }

    /**
     * Asks for every device's state, and again after {@code wait} (doubling to {@link #MAX_RETRY_MILLIS}) until
     * Asterisk says yes: right after {@code core restart} the AMI answers before the modules behind DeviceStateList
     * have loaded, and a refusal then must not leave the secretaries' duty unknown until their next device event.
     * A newer connect takes over ({@code connect} is no longer the latest): its own request runs.
     */
    private void askDeviceStates(long connect, long wait) {
        if (closed || connect != connects.get()) return;
        try {
            connection.sendAction(new DeviceStateListAction(), response -> {
                if ("Success".equalsIgnoreCase(response.getResponse())) {
                    if (wait > FIRST_RETRY_MILLIS) LOG.info("AMI: DeviceStateList answered; device states known again");
                    return;
                }
                LOG.warn("AMI: DeviceStateList refused ({}); asking again in {} s (Asterisk may still be loading; if "
                        + "this goes on, the AMI user needs read and write 'call,reporting' in manager_vorzimmer.conf)",
                        response.getMessage(), wait / 1000);
                retryDeviceStates(connect, wait);
            });
        } catch (java.io.IOException | IllegalStateException e) {
            LOG.warn("AMI: cannot ask for device states: {}; asking again in {} s", e.getMessage(), wait / 1000);
            retryDeviceStates(connect, wait);
        }
    }

    private void retryDeviceStates(long connect, long wait) {
        try {
            worker.schedule(() -> askDeviceStates(connect, Math.min(wait * 2, MAX_RETRY_MILLIS)), wait,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("AMI: stopping; device states not asked again");
        }
    }

    /**
     * Rings {@code endpoint} (a secretary's phone) and, once answered, dials {@code e164} through
     * {@code vorzimmer-reach}. Returns at once; its result completes when Asterisk reports the first leg's
     * outcome (the secretary answered or not), or with outcome {@code timeout}. Each result is also handed to
     * the callback-results consumer (the event bus).
     *
     * @throws CallbackException if AMI is not connected
     */
    PendingCallback originate(String secretary, String endpoint, String e164) {
        if (!connected()) throw new CallbackException(null, "AMI is not connected to " + settings.host() + ":" + settings.port());
        String id = "vzcb-" + UUID.randomUUID().toString().substring(0, 8);
        OriginateAction a = new OriginateAction();
        a.setActionId(id);
        a.setChannel(endpoint);
        a.setContext(REACH_CONTEXT);
        a.setExten(e164);
        a.setPriority(1);
        a.setTimeout((long) CALLBACK_RING_SECONDS * 1000);
        a.setCallerId("Callback <" + e164 + ">");
        a.setAsync(true);
        a.setVariables(Map.of("VZ_CALLBACK", id, "VZ_CALLBACK_SECRETARY", secretary));
        LOG.info("callback {}: ringing {} ({}) to call {}", id, secretary, endpoint, e164);
        CompletableFuture<CallbackResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                ResponseEvents events = connection.sendEventGeneratingAction(a, (CALLBACK_RING_SECONDS + 15) * 1000L);
                ManagerResponse response = events.getResponse();
                if (response != null && !"Success".equalsIgnoreCase(response.getResponse())) {
                    return new CallbackResult(id, secretary, endpoint, e164, false, "error: " + response.getMessage(), null, clock.instant());
                }
                for (ResponseEvent e : events.getEvents()) {
                    if (e instanceof OriginateResponseEvent o) {
                        boolean ok = "Success".equalsIgnoreCase(o.getResponse());
                        return new CallbackResult(id, secretary, endpoint, e164, ok,
                                ok ? "answered" : CallbackResult.outcome(o.getReason()), o.getUniqueId(), clock.instant());
                    }
                }
                return new CallbackResult(id, secretary, endpoint, e164, false, "failed", null, clock.instant());
            } catch (EventTimeoutException e) {
                return new CallbackResult(id, secretary, endpoint, e164, false, "timeout", null, clock.instant());
            } catch (java.io.IOException | IllegalStateException e) {
                return new CallbackResult(id, secretary, endpoint, e164, false, "error: " + e.getMessage(), null, clock.instant());
            }
        }, originates);
        return new PendingCallback(id, secretary, endpoint, e164, result.whenComplete((r, e) -> {
            if (r != null) {
                LOG.info("callback {}: {} ({})", id, r.connected() ? "connected" : "not connected", r.outcome());
                callbackResults.accept(r);
            }
        }));
    }

    /** Context where an answered call-out runs the {@code callout} FastAGI script (extensions_vorzimmer.conf). */
    static final String CALLOUT_CONTEXT = "vorzimmer-callout";

    /**
     * Calls {@code e164} through {@code vorzimmer-reach} for escalation step {@code step}; once answered the call
     * continues in {@code vorzimmer-callout}, whose {@code callout} script reads the message. Returns our id for it
     * once Asterisk took the order; {@code notAnswered} hears the outcome of a call that was never answered
     * ({@code busy}, {@code no-answer}, {@code congestion}, {@code failed}, ...). The answered call reports itself
     * through the script.
     *
     * @throws CallbackException if AMI is not connected
     */
    String originateCallOut(String e164, long step, int ringSeconds, Consumer<String> notAnswered) {
        if (!connected()) throw new CallbackException(null, "AMI is not connected to " + settings.host() + ":" + settings.port());
        String id = "vzco-" + step + "-" + UUID.randomUUID().toString().substring(0, 8);
        OriginateAction a = new OriginateAction();
        a.setActionId(id);
        a.setChannel("Local/" + e164 + "@" + REACH_CONTEXT);
        a.setContext(CALLOUT_CONTEXT);
        a.setExten("s");
        a.setPriority(1);
        a.setTimeout((long) ringSeconds * 1000);
        a.setCallerId("Vorzimmer <" + e164 + ">");
        a.setAsync(true);
        a.setVariables(Map.of("VZ_CALLOUT", Long.toString(step)));
        LOG.info("call-out {}: calling {} (ring {} s)", id, e164, ringSeconds);
        CompletableFuture.runAsync(() -> {
            String outcome;
            try {
                ResponseEvents events = connection.sendEventGeneratingAction(a, (ringSeconds + 15) * 1000L);
                ManagerResponse response = events.getResponse();
                if (response != null && !"Success".equalsIgnoreCase(response.getResponse())) {
                    outcome = "failed";
                    LOG.warn("call-out {}: Originate refused: {}", id, response.getMessage());
                } else {
                    outcome = "failed";
                    for (ResponseEvent e : events.getEvents()) {
                        if (e instanceof OriginateResponseEvent o) {
                            outcome = "Success".equalsIgnoreCase(o.getResponse()) ? null : CallbackResult.outcome(o.getReason());
                        }
                    }
                }
            } catch (EventTimeoutException e) {
                outcome = "failed";
            } catch (java.io.IOException | IllegalStateException e) {
                outcome = "failed";
                LOG.warn("call-out {}: {}", id, e.getMessage());
            }
            if (outcome != null) {
                LOG.info("call-out {}: not answered ({})", id, outcome);
                notAnswered.accept(outcome);
            }
        }, originates);
        return id;
    }

    /**
     * Moves a call elsewhere in the dialplan: sets {@code variables} on the channel, then redirects it to
     * {@code context,exten,1}. {@code channel} may be the channel's name or its unique id (Asterisk looks up
     * both). A channel in {@code Dial()} stops ringing its targets and continues at the new place.
     */
    CompletableFuture<Void> redirect(String channel, Map<String, String> variables, String context, String exten) {
        if (!connected()) {
            return CompletableFuture.failedFuture(new CallbackException(null, "AMI is not connected to "
                    + settings.host() + ":" + settings.port()));
        }
        return CompletableFuture.runAsync(() -> {
            try {
                for (Map.Entry<String, String> v : variables.entrySet()) {
                    expectSuccess(connection.sendAction(new SetVarAction(channel, v.getKey(), v.getValue()), 5_000),
                            "Setvar " + v.getKey());
                }
                expectSuccess(connection.sendAction(new RedirectAction(channel, context, exten, 1), 5_000),
                        "Redirect to " + context + "," + exten);
            } catch (java.io.IOException | org.asteriskjava.manager.TimeoutException e) {
                throw new IllegalStateException("AMI: " + e.getMessage(), e);
            }
        }, originates);
    }

    private static void expectSuccess(ManagerResponse r, String what) {
        if (r == null || !"Success".equalsIgnoreCase(r.getResponse())) {
            throw new IllegalStateException(what + " refused: " + (r == null ? "no response" : r.getMessage()));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (connection.getState() == ManagerConnectionState.CONNECTED) connection.logoff();
        } catch (IllegalStateException e) {
            LOG.debug("AMI: logoff: {}", e.getMessage());
        }
        originates.shutdownNow();
    }
}
