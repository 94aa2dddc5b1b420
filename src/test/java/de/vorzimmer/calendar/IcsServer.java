package de.vorzimmer.calendar;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP server (Vert.x, 127.0.0.1, a free port) that serves one iCalendar feed the way real servers do, with
 * {@code ETag} and {@code 304 Not Modified}, and on demand fails the way real servers fail.
 */
final class IcsServer implements AutoCloseable {
    enum Mode { GOOD, UNAUTHORIZED, ERROR, HTML, HUGE, HUGE_CHUNKED, BROKEN, RESET }

    final AtomicReference<Mode> mode = new AtomicReference<>(Mode.GOOD);
    final AtomicReference<String> ics = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger notModified = new AtomicInteger();
    private final HttpServer server;

    IcsServer(Vertx vertx, String ics) throws Exception {
        this.ics.set(ics);
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private void handle(HttpServerRequest req) {
        requests.incrementAndGet();
        var r = req.response();
        switch (mode.get()) {
            case UNAUTHORIZED -> r.setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"cal\"").end("no");
            case ERROR -> r.setStatusCode(500).end("internal error");
            case HTML -> r.putHeader("Content-Type", "text/html; charset=utf-8")
                    .end("<!DOCTYPE html><html><body>Please log in</body></html>");
            case HUGE -> {
                // 50 MB announced and sent: refused by its Content-Length before it is read
                r.putHeader("Content-Type", "text/calendar").putHeader("Content-Length", String.valueOf(50_000_000));
                Buffer block = Buffer.buffer(new byte[1_000_000]);
                for (int i = 0; i < 50 && !r.closed(); i++) r.write(block);
                if (!r.closed()) r.end();
            }
            case HUGE_CHUNKED -> {
                // 50 MB without a length: refused once the bytes read pass the cap
                r.setChunked(true).putHeader("Content-Type", "text/calendar");
                Buffer block = Buffer.buffer("BEGIN:VCALENDAR\r\n" + "X-PAD:" + "x".repeat(999_970) + "\r\n");
                for (int i = 0; i < 50 && !r.closed(); i++) r.write(block);
                if (!r.closed()) r.end();
            }
            case BROKEN -> r.putHeader("Content-Type", "text/calendar").end(String.join("\r\n",
                    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
                    "BEGIN:VEVENT", "UID:broken@test", "SUMMARY:Kaputt", "DTSTART:2026XX07T100000", "DTEND:20261207T110000Z",
                    "END:VEVENT", "END:VCALENDAR", ""));
            case RESET -> req.connection().close();
            case GOOD -> {
                String body = ics.get();
                String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
                if (etag.equals(req.getHeader("If-None-Match"))) {
                    notModified.incrementAndGet();
                    r.setStatusCode(304).putHeader("ETag", etag).end();
                } else {
                    r.putHeader("Content-Type", "text/calendar; charset=utf-8").putHeader("ETag", etag).end(body);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
    }
}
