package de.vorzimmer.asterisk;


import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import de.vorzimmer.metrics.ConnectionCounter;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asterisk-Java's FastAGI server with our scripts mapped by name ({@code agi://host:4573/route}).
 * It runs on its own thread pool: AGI is a blocking, line-based protocol and each connection is short.
 */
public final class FastAgiService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FastAgiService.class);
    /** A peer that sends nothing for this long is dropped; Asterisk answers every command within milliseconds. */
    static final int READ_TIMEOUT_MILLIS = 5_000;
    /**
     * Once the environment is read, a command may last as long as what it plays (the phone-in script's prompts,
     * a recorded message): silence is allowed this long before the connection is dropped.
     */
    static final int COMMAND_TIMEOUT_MILLIS = 300_000;
    private static final int BACKLOG = 1_000;

    private final DefaultAgiServer server;
    private final Thread thread;
    private final int port;

    private FastAgiService(DefaultAgiServer server, Thread thread, int port) {
        this.server = server;
        this.thread = thread;
        this.port = port;
    }

    /**
     * Starts listening on {@code host:port} (port 0 picks a free one) and returns once the socket is bound.
     *
     * @throws IOException if the port cannot be bound
     */
    public static FastAgiService start(String host, int port, Map<String, AgiScript> scripts, int poolSize)
            throws IOException {
        return start(host, port, scripts, poolSize, ConnectionCounter.NONE);
    }

    /** As above; {@code connections} is told of every connection accepted and closed (the operator's metrics). */
    public static FastAgiService start(String host, int port, Map<String, AgiScript> scripts, int poolSize,
                                       ConnectionCounter connections) throws IOException {
        Objects.requireNonNull(connections, "connections == null");
        Objects.requireNonNull(scripts, "scripts == null");
        InetAddress address = InetAddress.getByName(host);
        int chosen = port == 0 ? freePort(address) : port;
        // Bind once ourselves to fail fast with a clear message; Asterisk-Java binds on its own thread.
        try (ServerSocket probe = new ServerSocket(chosen, 1, address)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IOException("FastAGI cannot listen on " + host + ":" + chosen + ": " + e.getMessage(), e);
        }
        MappingStrategy mapping = (AgiRequest request, AgiChannel channel) -> {
            String name = scriptName(request);
            AgiScript script = name == null ? null : scripts.get(name);
            if (script == null) LOG.warn("agi: no script '{}' (known: {})", name, scripts.keySet());
            return script;
        };
        CountDownLatch bound = new CountDownLatch(1);
        // AgiStatus: channels that skip Asterisk-Java's status round trip when a script already set the status
        DefaultAgiServer server = new DefaultAgiServer(null, mapping, AgiStatus.channelFactory()) {
            @Override
            protected ServerSocketFacade createServerSocket() throws IOException {
                // our own sockets: Asterisk-Java's line reader buffers without limit (see BoundedAgiSocket)
                ServerSocketFacade socket = new BoundedAgiSocket.Server(chosen, BACKLOG, address, READ_TIMEOUT_MILLIS,
                        COMMAND_TIMEOUT_MILLIS, connections);
                bound.countDown();
                return socket;
            }
        };
        server.setAddress(address);
        server.setPort(chosen);
        server.setPoolSize(poolSize);
        server.setMaximumPoolSize(Math.max(poolSize, 200));
        Thread t = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException | IllegalStateException e) {
                LOG.error("agi: server stopped: {}", e.getMessage());
            }
        }, "fastagi-accept");
        t.setDaemon(true);
        t.start();
        try {
            if (!bound.await(5, TimeUnit.SECONDS)) {
                server.shutdown();
                throw new IOException("FastAGI did not start listening on " + host + ":" + chosen + " within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting FastAGI", e);
        }
        LOG.info("FastAGI listening on {}:{} scripts {}", host, chosen, scripts.keySet());
        return new FastAgiService(server, t, chosen);
    }

    /**
     * The script named by {@code agi_network_script}, or failing that by the path of {@code agi_request}
     * ({@code agi://host:4573/route?x=y} names {@code route}).
     */
    static String scriptName(AgiRequest request) {
        String name = request.getScript();
        if (name == null || name.isBlank()) {
            String url = request.getRequestURL();
            if (url == null) return null;
            int scheme = url.indexOf("://");
            int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
            if (slash < 0) return null;
            name = url.substring(slash + 1);
        }
        int query = name.indexOf('?');
        if (query >= 0) name = name.substring(0, query);
        while (name.startsWith("/")) name = name.substring(1);
        return name.isEmpty() ? null : name;
    }

    public int port() {
        return port;
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException e) {
            LOG.debug("agi: already stopped");
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
