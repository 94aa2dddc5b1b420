package de.vorzimmer.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.Objects;

/** The HTTP server (console, API, Twilio webhooks) on the event loop, serving a router the composition root built. */
final class HttpVerticle extends VerticleBase {
    private final Router router;
    private final String host;
    private final int port;
    private volatile HttpServer server;

    HttpVerticle(Router router, String host, int port) {
        this.router = Objects.requireNonNull(router, "router == null");
        this.host = Objects.requireNonNull(host, "host == null");
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer().requestHandler(router).listen(port, host)
                .onSuccess(s -> server = s)
                .recover(e -> Future.failedFuture(new java.io.IOException("HTTP cannot listen on " + host + ":" + port
                        + " (http.host / http.port): " + e.getMessage(), e)));
    }

    /** The port bound (the configured one, or the one picked for port 0). */
    int port() {
        return server.actualPort();
    }
}
