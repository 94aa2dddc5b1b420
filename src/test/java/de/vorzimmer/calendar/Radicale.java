package de.vorzimmer.calendar;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Debian's Radicale, a real CalDAV server, started for a test on 127.0.0.1 with a free port and a throw-away
 * collection folder. Users come from a plain htpasswd file ({@code anna:geheim}); each user owns only her own
 * collections ({@code rights: owner_only}). The calendar {@code /anna/praxis/} is made with MKCALENDAR.
 */
final class Radicale implements AutoCloseable {
    static final String USER = "anna";
    static final String PASSWORD = "geheim";

    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;

    Radicale(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("collections"));
        Files.writeString(dir.resolve("users"), USER + ":" + PASSWORD + "\n");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("radicale.conf");
        Files.writeString(config, """
                [server]
                hosts = 127.0.0.1:%d
                [auth]
                type = htpasswd
                htpasswd_filename = %s
                htpasswd_encryption = plain
                [rights]
                type = owner_only
                [storage]
                filesystem_folder = %s
                [web]
                type = none
                [logging]
                level = warning
                mask_passwords = True
                """.formatted(port, dir.resolve("users"), dir.resolve("collections")));
        process = new ProcessBuilder("radicale", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("radicale.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("radicale ended: " + Files.readString(dir.resolve("radicale.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        HttpResponse<String> made = send("MKCALENDAR", "/anna/praxis/", null, null);
        if (made.statusCode() != 201) throw new IllegalStateException("MKCALENDAR: " + made.statusCode() + " " + made.body());
    }

    String calendarUrl() {
        return "http://127.0.0.1:" + port + "/anna/praxis/";
    }

    /** Stores an event as the client's calendar program would. */
    void put(String uid, String ics) throws Exception {
        HttpResponse<String> r = send("PUT", "/anna/praxis/" + uid + ".ics", ics, "text/calendar; charset=utf-8");
        if (r.statusCode() != 201 && r.statusCode() != 204) throw new IllegalStateException("PUT: " + r.statusCode() + " " + r.body());
    }

    /** The whole calendar as the client's calendar program would read it. */
    String calendar() throws Exception {
        HttpResponse<String> r = send("GET", "/anna/praxis/", null, null);
        if (r.statusCode() != 200) throw new IllegalStateException("GET: " + r.statusCode() + " " + r.body());
        return r.body();
    }

    HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) b.header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
