package de.vorzimmer.asterisk.agi;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server on the Vert.x event loop ({@code agi://host:4573/NAME}, scripts by name). Each connection
 * costs its buffers and a place in its event loop's queue of deadlines ({@link Deadlines}), not a thread or a timer:
 * thousands of idle or half-sent connections take nothing from the calls, and a call goes from the socket to its
 * script without a hand-off between threads. It listens on several event loops (one verticle instance each, sharing
 * the port; Vert.x hands accepted connections to them in turn).
 *
 * <p>What a peer may send is bounded ({@link AgiLimits}): a line, the environment, the time the environment may take
 * to arrive and the time Asterisk may take to answer. A peer over a limit is disconnected with one warning at most per
 * kind and 10 s ({@link LogThrottle}), never an error or a stack trace.
 */
public final class FastAgiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FastAgiServer.class);
    /** Pending connections the kernel queues for us while the event loops are busy. */
    static final int BACKLOG = 4096;
    /** Listening event loops when nothing else is said: one per core (docs/benchmarks.md §1). */
    public static final int DEFAULT_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** What the listeners share: the scripts, the limits, the log throttle and the count of open connections. */
    record Listening(Map<String, FastAgiScript> scripts, AgiLimits limits, LogThrottle throttle, AtomicInteger open) {
    }

    private final Vertx vertx;
    private final List<String> deployments;
    private final int port;
    private final Listening listening;

    private FastAgiServer(Vertx vertx, List<String> deployments, int port, Listening listening) {
        this.vertx = vertx;
        this.deployments = deployments;
        this.port = port;
        this.listening = listening;
    }

    /**
     * Listens on {@code host:port} (0 picks a free port) with {@code instances} event loops and returns once bound.
     * Call it from outside the event loop (it waits for the bind).
     *
     * @throws IOException if the port cannot be bound
     */
    public static FastAgiServer start(Vertx vertx, String host, int port, Map<String, FastAgiScript> scripts,
                                      AgiLimits limits, int instances) throws IOException {
        Objects.requireNonNull(vertx, "vertx == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(limits, "limits == null");
        if (scripts == null || scripts.isEmpty()) throw new IllegalArgumentException("no scripts");
        if (instances < 1) throw new IllegalArgumentException("instances " + instances + " < 1");
        Listening listening = new Listening(Map.copyOf(scripts), limits,
                new LogThrottle(LoggerFactory.getLogger(FastAgiServer.class), 10, TimeUnit.SECONDS), new AtomicInteger());
        List<String> deployments = new ArrayList<>();
        // the first listener binds the port, the others share it (Vert.x shares a server between listeners of one
        // host and port). Port 0 is resolved to a free port first: listeners on 0 would each get a port of their own.
        int asked = port == 0 && instances > 1 ? freePort(host) : port;
        Listener first = new Listener(listening, host, asked);
        int actual;
        try {
            deployments.add(vertx.deployVerticle(first).await(10, TimeUnit.SECONDS));
            actual = first.actualPort;
            if (instances > 1) {
                deployments.add(vertx.deployVerticle(() -> new Listener(listening, host, asked),
                        new DeploymentOptions().setInstances(instances - 1)).await(10, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            for (String id : deployments) vertx.undeploy(id);
            Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            throw new IOException("FastAGI cannot listen on " + host + ":" + port + ": " + cause.getMessage(), e);
        }
        LOG.info("FastAGI listening on {}:{} scripts {} ({} event loops; request time-out {} ms, command time-out {} ms)",
                host, actual, scripts.keySet(), instances, limits.requestTimeout().toMillis(),
                limits.commandTimeout().toMillis());
        return new FastAgiServer(vertx, deployments, actual, listening);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Connections open right now (the environment under way or a script running). */
    public int openConnections() {
        return listening.open().get();
    }

    /** Stops listening and closes the open connections. */
    @Override
    public void close() {
        for (String id : deployments) {
            try {
                vertx.undeploy(id).await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("agi: undeploying the listener: {}", e.toString());
            }
        }
    }

    /** One listening event loop. */
    private static final class Listener extends VerticleBase {
        private final Listening listening;
        private final String host;
        private final int port;
        private volatile int actualPort;

        Listener(Listening listening, String host, int port) {
            this.listening = listening;
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            // TCP_QUICKACK (epoll only; NIO ignores it): a peer that sends its environment in two or more writes without
            // TCP_NODELAY holds the rest back until its first segment is acknowledged; on epoll, without quick
            // acknowledgements, about one call in a hundred waited for Linux's 40 ms delayed ACK (docs/benchmarks.md §1.9)
            NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setAcceptBacklog(BACKLOG)
                    .setTcpNoDelay(true).setReuseAddress(true).setTcpQuickAck(true);
            Deadlines deadlines = new Deadlines(context);
            NetServer server = vertx.createNetServer(options)
                    .connectHandler(socket -> new AgiConnection(listening, context, deadlines, socket).start())
                    .exceptionHandler(e -> LOG.debug("agi: {}", e.toString()));
            return server.listen().onSuccess(s -> actualPort = s.actualPort());
        }
    }
}
