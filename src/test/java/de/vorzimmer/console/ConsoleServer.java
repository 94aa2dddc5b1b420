package de.vorzimmer.console;


import de.vorzimmer.config.Config;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A whole demo server on free ports with its own SQLite file, and a small HTTP client for it. Public: the Twilio tests
 * follow their calls into the console with it.
 */
public final class ConsoleServer implements AutoCloseable {
    public final VorzimmerServer server;
    public final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConsoleServer(Path dir) throws Exception {
        this(dir, Clock.systemUTC(), Map.of());
    }

    /** With the server's clock and further config keys (e.g. the login limits). */
    public ConsoleServer(Path dir, Clock clock, Map<String, String> settings) throws Exception {
        Map<String, String> keys = new java.util.HashMap<>(settings);
        keys.put(Config.DB, dir.resolve("vz.db").toString());
        keys.put(Config.HTTP_PORT, "0");
        keys.put(Config.AGI_PORT, "0");
        server = VorzimmerServer.start(Config.load(null, Map.of(), keys), true, clock);
        base = "http://127.0.0.1:" + server.httpPort();
    }

    /** A logged-in session: the cookie header value and the CSRF token. */
    public record Session(String cookie, String csrf) {
    }

    public Session login(String user, String password) throws Exception {
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
