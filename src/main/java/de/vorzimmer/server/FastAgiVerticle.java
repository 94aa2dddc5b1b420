package de.vorzimmer.server;

import de.vorzimmer.asterisk.FastAgiService;
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
    private volatile FastAgiService service;

    FastAgiVerticle(String host, int port, Map<String, AgiScript> scripts) {
        this.host = Objects.requireNonNull(host, "host == null");
        this.port = port;
        this.scripts = Map.copyOf(scripts);
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            service = FastAgiService.start(host, port, scripts, 16);
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
