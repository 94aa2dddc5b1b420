package de.vorzimmer.calendar;

import de.vorzimmer.book.CalendarSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Fetches a calendar without blocking: an iCalendar feed by HTTP GET with {@code If-None-Match} /
 * {@code If-Modified-Since}, a CalDAV collection by {@code PROPFIND} (its ctag says whether anything changed) and a
 * {@code REPORT calendar-query} for a time range, a file from disk. Every request has a time-out and a size cap; a
 * larger response is cut off and refused. Errors name the URL and the HTTP status; credentials are sent as HTTP
 * Basic and never appear in an error.
 */
public final class FeedFetcher {
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    private static final String CALSERVER = "http://calendarserver.org/ns/";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** A CalDAV copy covers this much more than the window it is expanded for, so the window can move without a REPORT. */
    static final Duration CALDAV_MARGIN = Duration.ofDays(30);

    private final Vertx vertx;
    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;

    public FeedFetcher(Vertx vertx, Duration timeout, long maxBytes) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.maxBytes = maxBytes;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setMaxRedirects(5).setKeepAlive(true).setDecompressionSupported(true));
    }

    /**
     * @param etag         the stored validator, or null
     * @param lastModified the stored {@code Last-Modified}, or null
     * @param from         the window the copy must cover
     * @param to           its end
     */
    public record Request(CalendarSource source, Credentials credentials, String etag, String lastModified,
                          Instant from, Instant to) {
        public Request {
            Objects.requireNonNull(source, "source == null");
        }
    }

    /** A user name and password for HTTP Basic. */
    public record Credentials(String user, String password) {
        public Credentials {
            Objects.requireNonNull(user, "user == null");
            Objects.requireNonNull(password, "password == null");
        }

        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Credentials[" + user + ", ***]";
        }
    }

    /** What a fetch brought. */
    public sealed interface Result permits Unchanged, Fetched {
    }

    /** The server (or the file) says nothing changed since the stored validators. */
    public record Unchanged() implements Result {
    }

    /** A new copy with its validators (either may be null). */
    public record Fetched(String text, String etag, String lastModified) implements Result {
    }

    public Future<Result> fetch(Request r) {
        return switch (r.source().kind()) {
            case FILE -> vertx.executeBlocking(() -> file(r), false);
            case FEED -> feed(r);
            case CALDAV -> caldav(r);
        };
    }

    // ---- files

    private Result file(Request r) throws CalendarException {
        Path path = r.source().file();
        try {
            long size = Files.size(path);
            String stamp = Files.getLastModifiedTime(path).toMillis() + ":" + size;
            if (stamp.equals(r.etag())) return new Unchanged();
            if (size > maxBytes) throw tooLarge(r.source().url(), size);
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) throw tooLarge(r.source().url(), -1);
                return new Fetched(new String(bytes, StandardCharsets.UTF_8), stamp, null);
            }
        } catch (NoSuchFileException e) {
            throw new CalendarException(r.source().url() + ": no such file");
        } catch (IOException e) {
            throw new CalendarException(r.source().url() + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    // ---- iCalendar feeds

    private Future<Result> feed(Request r) {
        String url = r.source().fetchUrl();
        RequestOptions o = options(HttpMethod.GET, url, r).putHeader("Accept", "text/calendar, */*;q=0.5");
        if (r.etag() != null) o.putHeader("If-None-Match", r.etag());
        if (r.lastModified() != null) o.putHeader("If-Modified-Since", r.lastModified());
        return send(o, null, url).compose(resp -> {
            if (resp.status == 304) return Future.succeededFuture(new Unchanged());
            if (resp.status != 200) return Future.failedFuture(httpError(url, resp));
            if (resp.contentType != null && resp.contentType.toLowerCase(Locale.ROOT).startsWith("text/html")) {
                return Future.failedFuture(new CalendarException(url + ": the server sent an HTML page (Content-Type "
                        + resp.contentType + "), not a calendar; is the URL the calendar's iCal/ICS address?"));
            }
            return Future.succeededFuture(new Fetched(resp.body, resp.etag, resp.lastModified));
        });
    }

    // ---- CalDAV

    private Future<Result> caldav(Request r) {
        String url = r.source().fetchUrl();
        Instant rangeTo = r.to().plus(CALDAV_MARGIN);
        String propfind = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:propfind xmlns:d=\"DAV:\" xmlns:cs=\""
                + CALSERVER + "\"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>";
        RequestOptions pf = options(HttpMethod.PROPFIND, url, r).putHeader("Depth", "0")
                .putHeader("Content-Type", "application/xml; charset=utf-8");
        return send(pf, propfind, url).compose(resp -> {
            if (resp.status != 207) return Future.failedFuture(httpError(url, resp));
            String tag;
            try {
                tag = tag(resp.body);
            } catch (CalendarException e) {
                return Future.failedFuture(new CalendarException(url + ": " + e.getMessage()));
            }
            CalDavTag stored = CalDavTag.parse(r.etag());
            if (tag != null && stored != null && stored.tag().equals(tag) && !stored.until().isBefore(r.to())) {
                return Future.succeededFuture(new Unchanged());
            }
            return report(r, url, rangeTo).map(text -> (Result) new Fetched(text,
                    tag == null ? null : new CalDavTag(tag, rangeTo).toString(), null));
        });
    }

    private Future<String> report(Request r, String url, Instant rangeTo) {
        Instant rangeFrom = r.from();
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<c:calendar-query xmlns:d=\"DAV:\" xmlns:c=\"" + CALDAV + "\">"
                + "<d:prop><d:getetag/><c:calendar-data/></d:prop>"
                + "<c:filter><c:comp-filter name=\"VCALENDAR\"><c:comp-filter name=\"VEVENT\">"
                + "<c:time-range start=\"" + UTC.format(rangeFrom) + "\" end=\"" + UTC.format(rangeTo) + "\"/>"
                + "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>";
        RequestOptions o = options(HttpMethod.REPORT, url, r).putHeader("Depth", "1")
                .putHeader("Content-Type", "application/xml; charset=utf-8");
        return send(o, body, url).compose(resp -> {
            if (resp.status != 207) return Future.failedFuture(httpError(url, resp));
            try {
                List<String> calendars = elements(resp.body, CALDAV, "calendar-data");
                return Future.succeededFuture(calendars.isEmpty()
                        ? "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//vorzimmer//empty//EN\r\nEND:VCALENDAR\r\n"
                        : String.join("\r\n", calendars));
            } catch (CalendarException e) {
                return Future.failedFuture(new CalendarException(url + ": " + e.getMessage()));
            }
        });
    }

    /** The collection's ctag, else its sync-token, else null. */
    private static String tag(String multistatus) throws CalendarException {
        List<String> ctag = elements(multistatus, CALSERVER, "getctag");
        if (!ctag.isEmpty() && !ctag.get(0).isBlank()) return ctag.get(0).strip();
        List<String> token = elements(multistatus, "DAV:", "sync-token");
        return token.isEmpty() || token.get(0).isBlank() ? null : token.get(0).strip();
    }

    /** The stored validator of a CalDAV copy: the collection's tag and how far the copy reaches. */
    record CalDavTag(String tag, Instant until) {
        static CalDavTag parse(String s) {
            if (s == null || !s.startsWith("caldav;")) return null;
            int bar = s.indexOf(';', 7);
            if (bar < 0) return null;
            try {
                return new CalDavTag(s.substring(bar + 1), Instant.ofEpochMilli(Long.parseLong(s.substring(7, bar))));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "caldav;" + until.toEpochMilli() + ";" + tag;
        }
    }

    static List<String> elements(String xml, String namespace, String local) throws CalendarException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document d = b.parse(new InputSource(new StringReader(xml)));
            NodeList nodes = d.getElementsByTagNameNS(namespace, local);
            List<String> out = new ArrayList<>(nodes.getLength());
            for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
            return out;
        } catch (Exception e) {
            throw new CalendarException("the CalDAV answer is not readable XML: " + e.getMessage(), e);
        }
    }

    // ---- HTTP

    private RequestOptions options(HttpMethod method, String url, Request r) {
        RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(url).setFollowRedirects(method == HttpMethod.GET)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("User-Agent", "Vorzimmer calendar sync");
        if (r != null && r.credentials() != null) o.putHeader("Authorization", r.credentials().header());
        return o;
    }

    /** One response, read whole up to the size cap. */
    record Response(int status, String statusMessage, String body, String etag, String lastModified,
                    String contentType) {
    }

    Future<Response> send(RequestOptions options, String body, String url) {
        Promise<Response> done = Promise.promise();
        AtomicBoolean over = new AtomicBoolean();
        http.request(options).onFailure(e -> done.tryFail(unreachable(url, e))).onSuccess(req -> {
            long timer = vertx.setTimer(timeout.toMillis(), id -> {
                if (done.tryFail(new CalendarException(url + ": no complete answer within " + timeout.toSeconds() + " s"))) {
                    req.reset();
                }
            });
            req.response().onFailure(e -> {
                vertx.cancelTimer(timer);
                done.tryFail(unreachable(url, e));
            }).onSuccess(resp -> read(req, resp, url, over, done, timer));
            Future<Void> sent = body == null ? req.end() : req.end(Buffer.buffer(body, "UTF-8"));
            sent.onFailure(e -> done.tryFail(unreachable(url, e)));
        });
        return done.future();
    }

    private void read(HttpClientRequest req, HttpClientResponse resp, String url, AtomicBoolean over,
                      Promise<Response> done, long timer) {
        String length = resp.getHeader("Content-Length");
        if (length != null) {
            try {
                long n = Long.parseLong(length.trim());
                if (n > maxBytes) {
                    vertx.cancelTimer(timer);
                    done.tryFail(tooLarge(url, n));
                    req.reset();
                    return;
                }
            } catch (NumberFormatException e) {
                // a bad header: the bytes counted below decide
            }
        }
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (over.get()) return;
            if (body.length() + chunk.length() > maxBytes) {
                over.set(true);
                vertx.cancelTimer(timer);
                done.tryFail(tooLarge(url, -1));
                req.reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        resp.exceptionHandler(e -> {
            vertx.cancelTimer(timer);
            done.tryFail(unreachable(url, e));
        });
        resp.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (over.get()) return;
            done.tryComplete(new Response(resp.statusCode(), resp.statusMessage(), body.toString(StandardCharsets.UTF_8),
                    resp.getHeader("ETag"), resp.getHeader("Last-Modified"), resp.getHeader("Content-Type")));
        });
    }

    /** @param bytes the size announced or found, or -1 when only "more than the cap" is known */
    private CalendarException tooLarge(String url, long bytes) {
        return new CalendarException(url + ": the calendar has " + (bytes < 0 ? "more than " + maxBytes : bytes)
                + " bytes, more than calendar.max-bytes (" + maxBytes + "); refused");
    }

    private static CalendarException unreachable(String url, Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CalendarException(url + ": cannot be reached: " + why, e);
    }

    private static CalendarException httpError(String url, Response resp) {
        String hint = switch (resp.status) {
            case 401, 403 -> ": check calendar.credentials for this client";
            case 404 -> ": no calendar at this address";
            default -> "";
        };
        return new CalendarException(url + ": HTTP " + resp.status + (resp.statusMessage == null ? "" : " "
                + resp.statusMessage) + hint, resp.status, null);
    }

    /**
     * Stores a new event in a CalDAV collection ({@code PUT} with {@code If-None-Match: *}, so nothing is
     * overwritten).
     *
     * @return the event's URL
     */
    public Future<String> put(CalendarSource source, Credentials credentials, String uid, String ics) {
        String base = source.fetchUrl();
        String url = base + uid + ".ics";
        RequestOptions o = options(HttpMethod.PUT, url, new Request(source, credentials, null, null, null, null))
                .putHeader("Content-Type", "text/calendar; charset=utf-8").putHeader("If-None-Match", "*");
        return send(o, ics, url).compose(resp -> {
            if (resp.status == 201 || resp.status == 204 || resp.status == 200) return Future.succeededFuture(url);
            if (resp.status == 412) {
                return Future.failedFuture(new CalendarException(url + ": an event with this id exists already", 412, null));
            }
            return Future.failedFuture(httpError(url, resp));
        });
    }

    public Future<Void> close() {
        return http.close();
    }
}
