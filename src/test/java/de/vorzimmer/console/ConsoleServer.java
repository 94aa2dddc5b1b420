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

/** A whole demo server on free ports with its own SQLite file, and a small HTTP client for it. */
final class ConsoleServer implements AutoCloseable {
    final VorzimmerServer server;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConsoleServer(Path dir) throws Exception {
        Config config = Config.load(null, Map.of(), Map.of(Config.DB, dir.resolve("vz.db").toString(),
                Config.HTTP_PORT, "0", Config.AGI_PORT, "0"));
        server = VorzimmerServer.start(config, true, Clock.systemUTC());
        base = "http://127.0.0.1:" + server.httpPort();
    }

    /** A logged-in session: the cookie header value and the CSRF token. */
    record Session(String cookie, String csrf) {
    }

    Session login(String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user)
                        .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("login " + user + ": " + r.statusCode() + " " + r.body());
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), new JsonObject(r.body()).getString("csrf"));
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
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
