package de.vorzimmer.server;

import de.vorzimmer.http.RequestDeadlines;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP server (console, API, Twilio webhooks) on the event loop, serving a router the composition root built.
 * Slow or silent clients are cut off: a connection idle for {@code idleTimeout}, a request not in whole within
 * {@code requestTimeout} ({@link RequestDeadlines}).
 */
final class HttpVerticle extends VerticleBase {
    private final Router router;
    private final String host;
    private final int port;
    private final Duration idleTimeout;
    private final Duration requestTimeout;
    private volatile HttpServer server;

    HttpVerticle(Router router, String host, int port, Duration idleTimeout, Duration requestTimeout) {
        this.router = Objects.requireNonNull(router, "router == null");
        this.host = Objects.requireNonNull(host, "host == null");
        this.port = port;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout == null");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout == null");
    }

    @Override
    public Future<?> start() {
        RequestDeadlines deadlines = new RequestDeadlines(vertx, requestTimeout);
        return vertx.createHttpServer(RequestDeadlines.options(idleTimeout, requestTimeout))
                .connectionHandler(deadlines)
                .requestHandler(deadlines.around(router))
                .listen(port, host)
                .onSuccess(s -> server = s)
                .recover(e -> Future.failedFuture(new java.io.IOException("HTTP cannot listen on " + host + ":" + port
                        + " (http.host / http.port): " + e.getMessage(), e)));
    }

    /** The port bound (the configured one, or the one picked for port 0). */
    int port() {
        return server.actualPort();
    }
}
