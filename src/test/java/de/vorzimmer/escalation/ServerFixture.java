package de.vorzimmer.escalation;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Database;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole server on a port of its own (picked free, so e-mails can link to it), with a book stored before it
 * starts, an API token, and a small HTTP client for the API.
 */
public final class ServerFixture implements AutoCloseable {
    public final VorzimmerServer server;
    public final int port;
    public final String base;
    final String token;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ServerFixture(Path dir, String book, Map<String, String> settings) throws Exception {
        Path db = dir.resolve("vz.db");
        try (Database d = Database.open(db)) {
            new BookStore(d, new PinHasher()).save(BookLoader.load(book, new PinHasher()), "test", Instant.now());
        }
        port = freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> keys = new HashMap<>(settings);
        keys.put(Config.DB, db.toString());
        keys.put(Config.HTTP_PORT, Integer.toString(port));
        keys.put(Config.AGI_PORT, "0");
        keys.putIfAbsent(Config.CONSOLE_PUBLIC_URL, base);
        server = VorzimmerServer.start(Config.load(null, Map.of(), keys), false, Clock.systemUTC());
        token = server.consoleAuth().createToken("escalation-test", "test").token();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonObject ok(String method, String path, String json) throws Exception {
        HttpResponse<String> r = send(method, path, json);
        if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return new JsonObject(r.body());
    }

    /** A typed message for {@code client}, through the API as the console takes it; returns its id. */
    public long take(String client, String callerName, String text, boolean urgent) throws Exception {
        return ok("POST", "/api/v1/messages", new JsonObject().put("client", client).put("caller_name", callerName)
                .put("caller_number", "+49309876543").put("text", text).put("urgent", urgent).encode()).getLong("id");
    }

    public JsonObject escalation(long messageId) throws Exception {
        return ok("GET", "/api/v1/escalations/" + messageId, null);
    }

    public JsonObject message(long id) throws Exception {
        return ok("GET", "/api/v1/messages/" + id, null);
    }

    public JsonArray steps(long messageId) throws Exception {
        return escalation(messageId).getJsonArray("steps");
    }

    @Override
    public void close() {
        server.close();
    }
}
