package de.vorzimmer.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time limits for HTTP clients that send slowly or not at all, which Vert.x's idle time-out alone does not catch (a
 * byte every few seconds keeps a connection from ever being idle): a request must arrive whole, head and body, within
 * the request time-out of its connection opening or of the previous request; a connection that has no request under
 * way is closed after the time-out (at most twice it, checked once per time-out). A response being produced or
 * streamed (the console's live feed) is left to the idle time-out of {@link #options}, which its heartbeat keeps off.
 *
 * <p>Register as the server's connection handler and wrap its request handler with {@link #around}. Closing a slow
 * client is an ordinary event and is logged at DEBUG only; so are connection errors (resets), which Vert.x would
 * otherwise report as unhandled.
 */
public final class RequestDeadlines implements Handler<HttpConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private final Vertx vertx;
    private final long timeoutNanos;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    public RequestDeadlines(Vertx vertx, Duration requestTimeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        if (requestTimeout.toMillis() < 1) throw new IllegalArgumentException("requestTimeout " + requestTimeout + " < 1 ms");
        this.timeoutNanos = requestTimeout.toNanos();
    }

    /**
     * Server options with the idle time-out (no byte either way for that long: closed; the longest a handler may take
     * to answer, so above Twilio's 15 s) and the TLS handshake bounded by the request time-out. Cleartext HTTP/2 is
     * off: neither Twilio nor browsers speak it, and while it is on Vert.x reports a connection only once its first
     * bytes have told HTTP/1 from HTTP/2, so a client that sends nothing would never be timed out.
     */
    public static HttpServerOptions options(Duration idleTimeout, Duration requestTimeout) {
        return new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setSslHandshakeTimeout(requestTimeout.toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Connections watched right now. */
    public int watched() {
        return watches.size();
    }

    @Override
    public void handle(HttpConnection connection) {
        Watch w = new Watch(connection);
        watches.put(connection, w);
        connection.closeHandler(v -> {
            watches.remove(connection);
            w.cancel();
        });
        connection.exceptionHandler(e -> LOG.debug("http: {}: {}", connection.remoteAddress(), e.toString()));
        w.arm(timeoutNanos);
    }

    /** {@code next}, told about each request first so its connection's deadline follows it. */
    public Handler<HttpServerRequest> around(Handler<HttpServerRequest> next) {
        Objects.requireNonNull(next, "next == null");
        return request -> {
            Watch w = watches.get(request.connection());
            if (w != null) w.request(request);
            next.handle(request);
        };
    }

    /** One connection's deadline; touched on its event loop only. */
    private final class Watch {
        private final HttpConnection connection;
        private HttpServerRequest current;
        private long since = System.nanoTime();
        private boolean idleSeen;
        private long timer = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void arm(long nanos) {
            timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> check());
        }

        void cancel() {
            if (timer >= 0) vertx.cancelTimer(timer);
            timer = -1;
        }

        void request(HttpServerRequest r) {
            current = r;
            since = System.nanoTime();
            idleSeen = false;
        }

        private void check() {
            timer = -1;
            if (current == null) {
                close("sent no request");
                return;
            }
            if (!current.isEnded()) {
                long left = timeoutNanos - (System.nanoTime() - since);
                if (left <= 0) {
                    close("did not send the whole request");
                    return;
                }
                arm(left);
                return;
            }
            if (current.response().ended() || current.response().closed()) {
                // no request under way since the last check, or since its answer at least
                if (idleSeen) {
                    close("sent no further request");
                    return;
                }
                idleSeen = true;
            }
            arm(timeoutNanos);
        }

        private void close(String what) {
            LOG.debug("http: {} {} within {} ms; connection closed", connection.remoteAddress(), what,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            connection.close();
        }
    }
}
