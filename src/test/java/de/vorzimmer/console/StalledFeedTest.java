package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A console that stops reading its live feed (a frozen browser tab) is closed once its unsent frames pass the bound,
 * instead of being buffered for without limit; a console that reads goes on getting every event.
 */
@org.junit.jupiter.api.Tag("flood") // 100 MB of events held against a heap bound: with the flood tests, in the first pass
class StalledFeedTest {
    /** Events published: about 100 MB of frames, far past what one console may have queued. */
    static final int EVENTS = 50_000;
    static final String PADDING = "x".repeat(2_000);
    @TempDir
    Path dir;
    ConsoleServer app;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    ch.qos.logback.classic.Level levelBefore;

    @BeforeEach
    void start() throws Exception {
        app = new ConsoleServer(dir);
        log.start();
        Logger feed = (Logger) LoggerFactory.getLogger(CallFeed.class);
        // the feed's INFO line is what this test reads, whatever level an earlier command-line test left behind
        levelBefore = feed.getLevel();
        feed.setLevel(ch.qos.logback.classic.Level.INFO);
        feed.addAppender(log);
    }

    @AfterEach
    void stop() {
        Logger feed = (Logger) LoggerFactory.getLogger(CallFeed.class);
        feed.detachAppender(log);
        feed.setLevel(levelBefore);
        app.close();
    }

    /** Opens the feed on a raw socket with a small receive window; returns the socket, headers read. */
    Socket openFeed(ConsoleServer.Session s) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", app.server.httpPort()), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + s.cookie() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().contains(": connected")) {
            int b = in.read();
            if (b < 0) throw new IOException("feed closed before it began: " + head);
            head.append((char) b);
        }
        assertThat(head).startsWith("HTTP/1.1 200");
        return socket;
    }

    static JsonObject event(int n) {
        return new CallUpdate("stall-" + n, de.vorzimmer.calls.CallState.ANSWERED, "mueller", "+49309876543", null,
                "+49301234567", "Müller: " + PADDING, List.of(), "PJSIP/anna", null, false, "screen", 0,
                java.time.Instant.now(), null).toJson();
    }

    static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void aConsoleThatNeverReadsIsClosedAndTheHeapStaysBounded() throws Exception {
        VorzimmerServer server = app.server;
        Socket stalled = openFeed(app.login("admin", VorzimmerServer.DEMO_PASSWORD));
        // the bus has no back-pressure: publish in steps, each once the one before was delivered
        AtomicInteger delivered = new AtomicInteger();
        server.vertx().eventBus().consumer(CallFeed.ADDRESS, m -> delivered.incrementAndGet())
                .completion().await(10, TimeUnit.SECONDS);
        long before = heapAfterGc();
        for (int i = 0; i < EVENTS; i++) {
            server.vertx().eventBus().publish(CallFeed.ADDRESS, event(i));
            if (i % 1_000 == 999) {
                int sent = i + 1;
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() >= sent);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> List.copyOf(log.list).stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("console feed of admin: not reading")));
        long after = heapAfterGc();
        assertThat(after - before).as("heap growth after %d events of %d bytes to a console that never reads",
                EVENTS, PADDING.length()).isLessThan(64L * 1024 * 1024);

        // the stalled connection was closed by the server: reading it now ends, after at most what was queued
        InputStream in = stalled.getInputStream();
        byte[] buf = new byte[65536];
        long read = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) read += n;
        } catch (SocketException e) {
            // reset: closed as well
        }
        assertThat(read).isLessThan((long) EVENTS * PADDING.length() / 10);
        stalled.close();
    }

    @Test
    void aConsoleThatReadsGetsEveryEvent() throws Exception {
        VorzimmerServer server = app.server;
        try (Socket reading = openFeed(app.login("admin", VorzimmerServer.DEMO_PASSWORD))) {
            InputStream in = reading.getInputStream();
            int events = 2_000;
            AtomicInteger frames = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    byte[] buf = new byte[65536];
                    StringBuilder tail = new StringBuilder();
                    while (frames.get() < events) {
                        int n = in.read(buf);
                        if (n < 0) return;
                        tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        int at;
                        while ((at = tail.indexOf("event: call\n")) >= 0) {
                            frames.incrementAndGet();
                            tail.delete(0, at + 12);
                        }
                    }
                } catch (IOException e) {
                }
            });
            reader.start();
            for (int i = 0; i < events; i++) {
                server.vertx().eventBus().publish(CallFeed.ADDRESS, event(i));
                if (i % 100 == 99) {
                    int sent = i + 1;
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> frames.get() >= sent - 200);
                }
            }
            reader.join(60_000);
            assertThat(frames.get()).isEqualTo(events);
            assertThat(log.list).noneMatch(e -> e.getFormattedMessage().startsWith("console feed of admin: not reading"));
        }
    }
}
