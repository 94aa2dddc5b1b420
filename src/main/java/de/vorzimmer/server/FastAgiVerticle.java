package de.vorzimmer.server;

import de.vorzimmer.asterisk.FastAgiService;
import de.vorzimmer.metrics.ConnectionCounter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Map;
import java.util.Objects;
import org.asteriskjava.fastagi.AgiScript;

/** The FastAGI server for the dialplan's {@code route} and {@code phonein} scripts, started and stopped with Vert.x. */
final class FastAgiVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final Map<String, AgiScript> scripts;
    private final ConnectionCounter connections;
    private volatile FastAgiService service;

    FastAgiVerticle(String host, int port, Map<String, AgiScript> scripts) {
        this(host, port, scripts, ConnectionCounter.NONE);
    }

    /** @param connections told of every FastAGI connection opened and closed (the operator's metrics) */
    FastAgiVerticle(String host, int port, Map<String, AgiScript> scripts, ConnectionCounter connections) {
        this.connections = java.util.Objects.requireNonNull(connections, "connections == null");
        this.host = Objects.requireNonNull(host, "host == null");
        this.port = port;
        this.scripts = Map.copyOf(scripts);
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            service = FastAgiService.start(host, port, scripts, 16, connections);
            return null;
        }, false);
    }

    @Override
    public Future<?> stop() {
        FastAgiService s = service;
        if (s == null) return Future.succeededFuture();
        return vertx.executeBlocking(() -> {
            s.close();
            return null;
        }, false);
    }

    int port() {
        return service.port();
    }
}
