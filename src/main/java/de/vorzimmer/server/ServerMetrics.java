package de.vorzimmer.server;

import de.vorzimmer.book.Action;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.NotificationState;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's numbers: one Micrometer registry in Prometheus's text format behind {@code GET /metrics}, fed by
 * Vert.x's own metrics ({@code vertx-micrometer-metrics}: HTTP connections and requests, event bus, worker pools),
 * the JVM's (memory, GC, threads, classes, CPU, descriptors) and ours. Ours are counted where the calls pass through
 * the composition root and the adapters, never in the routing core: every decision an adapter acts on goes through
 * {@link #decisions} (calls decided by action and PBX, how long the decision took), and {@link #watch} reads gauges
 * (FastAGI connections open, call-log queue, AMI, book version) when scraped and polls what costs a query (messages
 * stored, the outbox by kind, channel and state) every {@link #POLL}.
 *
 * <p>Off ({@code metrics.enabled: false}, the default) it is nothing at all: a plain Vert.x, the call log unwrapped,
 * no registry, no route.
 */
final class ServerMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);
    /** How often the gauges that cost a query are read from the store. */
    static final Duration POLL = Duration.ofSeconds(15);
    /** Bucket bounds of the decision latency histogram. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final String token;
    private final boolean nativeTransport;
    private final AtomicLong messagesStored = new AtomicLong();
    private MultiGauge outbox;
    private Vertx vertx;
    private long pollTimer = -1;

    private ServerMetrics(PrometheusMeterRegistry registry, String token, boolean nativeTransport) {
        this.registry = registry;
        this.token = token;
        this.nativeTransport = nativeTransport;
    }

    /** Metrics as the operator configured them: on (with an optional token) or off. */
    static ServerMetrics create(ServerSettings.Operator operator) {
        if (!operator.metrics()) return new ServerMetrics(null, null, operator.nativeTransport());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Prometheus's linter (promtool check metrics) objects to three of Micrometer's standard JVM meters: two carry
        // their unit abbreviated in the name (ms, ns; process_cpu_usage says the same), one ends in _count
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("jvm.compilation.time")
                || id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus.available") : id;
            }
        });
        new FileDescriptorMetrics().bindTo(registry);
        return new ServerMetrics(registry, operator.metricsToken(), operator.nativeTransport());
    }

    boolean enabled() {
        return registry != null;
    }

    /**
     * A Vert.x that reports into the registry (JVM metrics included), or a plain one with metrics off; on epoll where
     * the operator left the native transport on and it loads (docs/operations.md, "Time-outs and limits on
     * the network ports").
     */
    Vertx vertx() {
        VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(nativeTransport);
        if (registry == null) return Vertx.vertx(vertxOptions);
        // Vert.x's TCP-level metrics record every read and write of every socket into a histogram: for FastAGI, a call's
        // few segments cost more there than the call's own counter and timer. FastAGI connections have their own gauge
        // (watch), and HTTP keeps its connection and request metrics, so the TCP and UDP domains are left out.
        MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
        return Vertx.builder().with(vertxOptions.setMetricsOptions(options))
                .withMetrics(new MicrometerMetricsFactory(registry)).build();
    }

    /**
     * {@code log} with every decision counted ({@code vorzimmer_calls_decided_total{pbx,action}}) and timed
     * ({@code vorzimmer_decision_seconds{pbx}}: from the instant the adapter took for the decision, read from
     * {@code clock}, until it hands the decision on, i.e. after the PBX has been answered), or {@code log} itself with
     * metrics off.
     */
    DecisionLog decisions(DecisionLog log, String pbx, Clock clock) {
        Objects.requireNonNull(log, "log == null");
        if (registry == null) return log;
        return new Metered(log, pbx, clock, registry);
    }

    /** The decision log that counts and times what passes through it. */
    private static final class Metered implements DecisionLog {
        private final DecisionLog log;
        private final Clock clock;
        private final Map<Action, Counter> decided = new EnumMap<>(Action.class);
        private final Timer latency;

        Metered(DecisionLog log, String pbx, Clock clock, PrometheusMeterRegistry registry) {
            this.log = log;
            this.clock = Objects.requireNonNull(clock, "clock == null");
            for (Action a : Action.values()) {
                decided.put(a, Counter.builder("vorzimmer.calls.decided").description("Calls decided, by action and PBX")
                        .tags("pbx", pbx, "action", a.word()).register(registry));
            }
            this.latency = Timer.builder("vorzimmer.decision").description("Time from the start of a call's decision "
                            + "until the PBX has it")
                    .tags("pbx", pbx).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }

        private void count(Instant at, Decision decision) {
            decided.get(decision.action()).increment();
            long nanos = Duration.between(at, clock.instant()).toNanos();
            latency.record(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        @Override
        public void record(String callId, String channel, Instant at, Decision decision) {
            log.record(callId, channel, at, decision);
            count(at, decision);
        }

        @Override
        public void recordWithLogLine(String callId, String channel, Instant at, Decision decision) {
            log.recordWithLogLine(callId, channel, at, decision);
            count(at, decision);
        }
    }

    /**
     * What the gauges read.
     *
     * @param fastAgiOpen  FastAGI connections open now (0 before the server listens)
     * @param callLogQueue decisions waiting for the call-log writer
     * @param ami          whether AMI is logged in, or null when no AMI is configured (no gauge then)
     * @param bookVersion  the stored book version in force
     * @param messages     how many messages the store holds (a query: polled)
     * @param outbox       the outbox by kind, channel and state (a query: polled)
     */
    record Sources(IntSupplier fastAgiOpen, IntSupplier callLogQueue, BooleanSupplier ami, LongSupplier bookVersion,
                   LongSupplier messages, Supplier<List<OutboxStore.Tally>> outbox) {
    }

    /** Registers the gauges and starts polling the store on a worker every {@link #POLL}. */
    void watch(Vertx vertx, Sources s) {
        if (registry == null) return;
        this.vertx = vertx;
        Gauge.builder("vorzimmer.fastagi.connections.open", s.fastAgiOpen(), IntSupplier::getAsInt)
                .description("FastAGI connections open now").register(registry);
        Gauge.builder("vorzimmer.call.log.queue.depth", s.callLogQueue(), IntSupplier::getAsInt)
                .description("Decisions waiting for the call-log writer").register(registry);
        if (s.ami() != null) {
            Gauge.builder("vorzimmer.ami.connected", s.ami(), a -> a.getAsBoolean() ? 1 : 0)
                    .description("1 while the AMI connection is logged in").register(registry);
        }
        Gauge.builder("vorzimmer.book.version", s.bookVersion(), LongSupplier::getAsLong)
                .description("The stored client book version in force").register(registry);
        Gauge.builder("vorzimmer.messages.stored", messagesStored, AtomicLong::get)
                .description("Messages in the store").register(registry);
        outbox = MultiGauge.builder("vorzimmer.outbox.notifications")
                .description("Notifications in the outbox by kind, channel and state").register(registry);
        poll(s);
        pollTimer = vertx.setPeriodic(POLL.toMillis(), id -> vertx.executeBlocking(() -> {
            poll(s);
            return null;
        }, false).onFailure(e -> LOG.warn("metrics: reading the store failed: {}", e.toString())));
    }

    /** Reads what costs a query. Blocking. */
    void poll(Sources s) {
        messagesStored.set(s.messages().getAsLong());
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        // every kind and state shows, with 0 where the outbox has none: a series that vanishes is no alert's friend
        for (NotificationKind k : NotificationKind.values()) {
            for (NotificationState st : NotificationState.values()) counts.put(List.of(k.word(), "sms", st.word()), 0L);
        }
        for (OutboxStore.Tally t : s.outbox().get()) counts.put(List.of(t.kind(), t.channel(), t.state()), t.count());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((key, n) -> rows.add(MultiGauge.Row.of(Tags.of("kind", key.get(0), "channel", key.get(1),
                "state", key.get(2)), n)));
        outbox.register(rows, true);
    }

    /** Mounts {@code GET /metrics} (with metrics on): Prometheus's text format, behind the token if one is set. */
    void mount(Router router) {
        if (registry == null) return;
        router.get("/metrics").handler(this::scrape);
    }

    private void scrape(RoutingContext ctx) {
        if (token != null && !authorized(ctx.request().getHeader("Authorization"))) {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"")
                    .putHeader("content-type", "text/plain; charset=utf-8").end("metrics: bearer token missing or wrong\n");
            return;
        }
        // rendering every series takes a few milliseconds: on a worker, so that no call on this event loop waits for it
        ctx.vertx().executeBlocking(registry::scrape, false).onComplete(text -> {
            if (text.succeeded()) {
                ctx.response().putHeader("content-type", TEXT_FORMAT).end(text.result());
            } else {
                LOG.warn("metrics: rendering failed: {}", text.cause().toString());
                ctx.fail(500);
            }
        });
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The registry (null with metrics off); tests read it. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (vertx != null && pollTimer >= 0) {
            try {
                vertx.cancelTimer(pollTimer);
            } catch (IllegalStateException e) {
                LOG.debug("metrics: timer already gone with Vert.x");
            }
        }
        if (registry != null) registry.close();
    }
}
