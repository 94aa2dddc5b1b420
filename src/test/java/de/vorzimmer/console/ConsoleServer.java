package de.vorzimmer.console;

import de.vorzimmer.config.Config;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole demo server on free ports with its own SQLite file, and a small HTTP client for it. Public: the Twilio tests
 * follow their calls into the console with it.
 *
 * <p>One server for a whole test class: {@code @RegisterExtension static final ConsoleServer app =
 * ConsoleServer.perClass();} starts it on a temporary folder before the class's first test (and its
 * {@code @BeforeAll} methods) and closes it after the last.
 */
public final class ConsoleServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public VorzimmerServer server;
    public String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path ownDir;
    private Session admin;

    public ConsoleServer(Path dir) throws Exception {
        this(dir, Clock.systemUTC(), Map.of());
    }

    /** With the server's clock and further config keys (e.g. the login limits). */
    public ConsoleServer(Path dir, Clock clock, Map<String, String> settings) throws Exception {
        start(dir, clock, settings);
    }

    private ConsoleServer() {
    }

    /** A demo server that a test class registers as its extension: started before all its tests, closed after. */
    public static ConsoleServer perClass() {
        return new ConsoleServer();
    }

    private void start(Path dir, Clock clock, Map<String, String> settings) throws Exception {
        Map<String, String> keys = new java.util.HashMap<>(settings);
        keys.put(Config.DB, dir.resolve("vz.db").toString());
        keys.put(Config.HTTP_PORT, "0");
        keys.put(Config.AGI_PORT, "0");
        server = VorzimmerServer.start(Config.load(null, Map.of(), keys), true, clock);
        base = "http://127.0.0.1:" + server.httpPort();
        admin = null;
    }

    @java.lang.Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ownDir = Files.createTempDirectory("vz-console-");
        start(ownDir, Clock.systemUTC(), Map.of());
    }

    @java.lang.Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) close();
        try (Stream<Path> files = Files.walk(ownDir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** A logged-in session: the cookie header value and the CSRF token. */
    public record Session(String cookie, String csrf) {
        /** The headers a request made in this session carries: its cookie and its CSRF token. */
        public Map<String, String> headers() {
            return Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
        }
    }

    public Session login(String user, String password) throws Exception {
        return login(http, base, user, password);
    }

    /**
     * The {@code event:} and {@code data:} lines of {@code s}'s live feed ({@code GET /api/v1/events}), read in the
     * background as they come until the server closes the stream.
     */
    public java.util.List<String> feed(Session s) throws Exception {
        java.util.List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Cookie", s.cookie()).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) throw new IllegalStateException("live feed: HTTP " + r.statusCode());
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ") || line.startsWith("data: ")) frames.add(line);
                }
            } catch (IOException closed) {
                // the server is gone: the test is over
            }
        });
        return frames;
    }

    /** The demo admin's session on this server, logged in on first use and kept while the server runs. */
    public Session admin() throws Exception {
        if (admin == null) admin = login(VorzimmerServer.ADMIN_USER, VorzimmerServer.DEMO_PASSWORD);
        return admin;
    }

    /** Logs {@code user} in on the server at {@code base} (such as one node of several), with {@code http}. */
    public static Session login(HttpClient http, String base, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user)
                        .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("login " + user + ": " + r.statusCode() + " " + r.body());
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), new JsonObject(r.body()).getString("csrf"));
    }

    public HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @java.lang.Override
    public void close() {
        server.close();
    }
}
