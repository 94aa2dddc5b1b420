package de.vorzimmer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and silent HTTP clients against a server with {@link RequestDeadlines}: each is closed once the request
 * time-out has passed (trickling bytes do not help it), while an ordinary request is answered and a response that
 * streams (the console's live feed) stays open for as long as it writes.
 */
class RequestDeadlinesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger bodiesSeen = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/form").handler(BodyHandler.create(false).setBodyLimit(65536)).handler(ctx -> {
            bodiesSeen.incrementAndGet();
            ctx.response().end("ok " + ctx.body().length());
        });
        router.get("/feed").handler(ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            long timer = vertx.setPeriodic(150, id -> ctx.response().write(": keep-alive\n\n"));
            ctx.response().closeHandler(v -> vertx.cancelTimer(timer));
        });
        RequestDeadlines deadlines = new RequestDeadlines(vertx, TIMEOUT);
        server = vertx.createHttpServer(RequestDeadlines.options(Duration.ofSeconds(30), TIMEOUT))
                .connectionHandler(deadlines).requestHandler(deadlines.around(router))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.actualPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads what the server sends until it closes; the time that took. */
    private static Duration untilClosed(Socket s, ByteArrayOutputStream got) throws IOException {
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) got.write(b);
        } catch (SocketException e) {
            // reset: closed as well
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Test
    void silentConnectionIsClosedAfterTheTimeOut() throws IOException {
        try (Socket s = connect()) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(untilClosed(s, got)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100)).isLessThan(Duration.ofSeconds(5));
            assertThat(got.size()).isZero();
        }
    }

    @Test
    void headTrickledByteByByteIsClosedAfterTheTimeOut() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            byte[] head = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            boolean closed = false;
            // one byte every 100 ms: never idle, never a whole head (bounded: the head has 80 bytes)
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                    s.setSoTimeout(100);
                    closed = s.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (SocketException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.multipliedBy(3));
        }
        assertThat(bodiesSeen).hasValue(0);
    }

    @Test
    void halfSentBodyIsClosedAfterTheTimeOut() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100\r\n\r\na=1&b=").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(untilClosed(s, got)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(bodiesSeen).hasValue(0);
    }

    @Test
    void requestIsAnsweredAndTheIdleKeepAliveConnectionClosedLater() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 3\r\n\r\na=1").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Duration open = untilClosed(s, got);
            assertThat(got.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("ok 3");
            assertThat(open).isLessThan(TIMEOUT.multipliedBy(2).plusSeconds(2));
        }
        assertThat(bodiesSeen).hasValue(1);
    }

    @Test
    void streamingResponseStaysOpenWhileItWrites() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /feed HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            s.setSoTimeout(2_000);
            long end = System.nanoTime() + TIMEOUT.multipliedBy(4).toNanos();
            int heartbeats = 0;
            byte[] buf = new byte[1024];
            while (System.nanoTime() < end) {
                int n = in.read(buf);
                assertThat(n).as("the feed was closed").isPositive();
                if (new String(buf, 0, n, StandardCharsets.US_ASCII).contains("keep-alive")) heartbeats++;
            }
            assertThat(heartbeats).isGreaterThan(5);
        }
    }
}
