package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.store.Stores;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Requests as an attacker or an unlucky client sends them, against the whole server (console, API and the Twilio
 * webhooks mounted): each is refused with the right status and at most a short line in the log, and stores nothing.
 */
class HostileRequestsTest {
    private static final String TOKEN = "hostile-test-auth-token";
    private static final String PUBLIC = "https://vz.example.com";
    /** A console/ folder in the server's working folder: never served, the console comes from the jar only. */
    private static final Path STRAY = Path.of("console").toAbsolutePath();

    @TempDir
    static Path dir;
    static ConsoleServer app;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        app = new ConsoleServer(dir, Clock.systemUTC(),
                Map.of(Config.TWILIO_AUTH_TOKEN, TOKEN, Config.TWILIO_PUBLIC_URL, PUBLIC));
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (app != null) app.close();
        deleteStray();
    }

    private static void deleteStray() throws Exception {
        if (!Files.exists(STRAY, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var files = Files.walk(STRAY)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static List<ILoggingEvent> errorsAndStackTraces() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null)
                .toList();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        headers.forEach(b::header);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} {1} with a {2} body")
    @CsvSource({
        "GET,    /api/v1/clients,  form",
        "GET,    /api/v1/messages, multipart",
        "DELETE, /api/v1/session,  form",
        "PUT,    /api/v1/clients,  multipart",
        "GET,    /twilio/voice,    form",
        "GET,    /twilio/sms,      multipart",
        "DELETE, /twilio/status,   form",
        "PUT,    /twilio/voice,    multipart",
    })
    void aBodyOnAnyMethodIsRefusedBeforeTheGuardsWithoutAnError(String method, String path, String kind) throws Exception {
        log.list.clear();
        String type = kind.equals("form") ? "application/x-www-form-urlencoded"
                : "multipart/form-data; boundary=XyZ";
        String body = kind.equals("form") ? "CallSid=CA1&From=%2B49301234567"
                : "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--\r\n";
        HttpResponse<String> r = send(method, path, type, body, Map.of());
        assertThat(r.statusCode()).as(r.body()).isIn(401, 403, 405);
        assertThat(errorsAndStackTraces()).as("no ERROR line and no stack trace").isEmpty();
        assertThat(log.list).as("at most one short line").hasSizeLessThanOrEqualTo(1);
        // with a valid session a body the method does not take is ignored, and nothing breaks
        if (path.startsWith("/api/")) {
            ConsoleServer.Session admin = app.login(VorzimmerServer.ADMIN_USER, VorzimmerServer.DEMO_PASSWORD);
            HttpResponse<String> signedIn = send(method, path, type, body, Map.of("Cookie", admin.cookie(),
                    AuthHandler.CSRF_HEADER, admin.csrf()));
            assertThat(signedIn.statusCode()).as(signedIn.body()).isLessThan(500);
            assertThat(errorsAndStackTraces()).isEmpty();
        }
    }

    @Test
    void aConsoleFolderInTheWorkingFolderIsNeverServed() throws Exception {
        Files.createDirectories(STRAY.resolve("i18n"));
        Files.writeString(STRAY.resolve("secret.txt"), "do not serve me");
        Files.writeString(STRAY.resolve("index.html"), "<html>a fake console</html>");
        Files.writeString(STRAY.resolve("extra.js"), "alert('not ours')");
        Files.createSymbolicLink(STRAY.resolve("hostlink"), Path.of("/etc/hostname"));
        try {
            for (String p : List.of("/console/secret.txt", "/console/hostlink", "/console/extra.js",
                    "/console/../pom.xml", "/console/%2e%2e/pom.xml", "/console/i18n/../../pom.xml")) {
                HttpResponse<String> r = send("GET", p, "text/plain", "", Map.of());
                assertThat(r.statusCode()).as(p).isEqualTo(404);
                assertThat(r.body()).as(p).doesNotContain("do not serve me", "not ours");
            }
            HttpResponse<String> page = send("GET", "/console/", "text/plain", "", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).doesNotContain("a fake console").contains("app.js");
            assertThat(send("GET", "/console/app.js", "text/plain", "", Map.of()).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/console/i18n/de.json", "text/plain", "", Map.of()).statusCode()).isEqualTo(200);
        } finally {
            deleteStray();
        }
    }

    @ParameterizedTest(name = "caller number ''{0}''")
    @CsvSource(delimiter = '|', value = {"' OR '1'='1", "0800 NOT A NUMBER", "++49", "1234567890123456789012345"})
    void aTypedMessagesUnreadableCallerNumberIsRefusedNamingTheField(String number) throws Exception {
        int before = Stores.on(app.server.database()).messages().list(MessageFilter.all()).size();
        ConsoleServer.Session admin = app.login(VorzimmerServer.ADMIN_USER, VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<String> r = send("POST", "/api/v1/messages", "application/json", new JsonObject()
                .put("client", "mueller").put("caller_number", number).put("text", "Bitte zurückrufen").encode(),
                Map.of("Cookie", admin.cookie(), AuthHandler.CSRF_HEADER, admin.csrf()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains("caller_number");
        assertThat(Stores.on(app.server.database()).messages().list(MessageFilter.all())).hasSize(before);
    }

    @Test
    void aTypedMessagesCallerNumberIsStoredInE164() throws Exception {
        ConsoleServer.Session admin = app.login(VorzimmerServer.ADMIN_USER, VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<String> r = send("POST", "/api/v1/messages", "application/json", new JsonObject()
                .put("client", "mueller").put("caller_number", "+49 151 1234567").put("text", "Rückruf").encode(),
                Map.of("Cookie", admin.cookie(), AuthHandler.CSRF_HEADER, admin.csrf()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(new JsonObject(r.body()).getString("caller_number")).isEqualTo("+491511234567");
        HttpResponse<String> national = send("POST", "/api/v1/messages", "application/json", new JsonObject()
                .put("client", "mueller").put("caller_number", "030 9876543").put("text", "Rückruf").encode(),
                Map.of("Cookie", admin.cookie(), AuthHandler.CSRF_HEADER, admin.csrf()));
        assertThat(new JsonObject(national.body()).getString("caller_number")).isEqualTo("+49309876543");
    }
}
