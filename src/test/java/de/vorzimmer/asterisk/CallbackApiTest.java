package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/callbacks} without a PBX: validation answers 400 naming the field, no AMI answers 503. */
class CallbackApiTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private Stores store;
    private AsteriskLive asterisk;
    private Messaging messaging;
    private HttpServer http;
    private WebClient client;

    @BeforeEach
    void start() throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, new PinHasher());
        Book book = BookLoader.load("""
                version: 1
                secretaries:
                  - { id: anna, endpoint: PJSIP/anna, languages: [de] }
                  - { id: tina, endpoint: "client:tina", languages: [de] }
                clients: []
                """, new PinHasher());
        Clock clock = Clock.systemUTC();
        store.books().save(book, "test", clock.instant());
        LiveRouting routing = new LiveRouting(store.snapshots().at(clock.instant()), clock);
        messaging = Messaging.start(new Messaging.Settings(null, Duration.ofSeconds(5), Duration.ofHours(1)),
                store.database(), store.messages(), store.outbox(), () -> book, clock);
        asterisk = AsteriskLive.start(new AsteriskLive.Settings(null, null, new DialStrings("Local/{number}@vorzimmer-reach")), routing,
                new CallMessages(store.messages(), store.books(), store.overrides(), routing, messaging.desk()),
                new DevicePresence(routing, store.status(() -> { })), (a, b) -> { });
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new CallbackApi(asterisk).mount(router);
        http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
        asterisk.close();
        messaging.close();
        store.close();
    }

    private HttpResponse<Buffer> post(String body) throws Exception {
        return client.post(http.actualPort(), "127.0.0.1", CallbackApi.PATH).putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body)).await(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"number\":\"+491701111111\"}|400|field 'secretary' is missing",
        "{\"secretary\":\"anna\"}|400|field 'number' is missing",
        "{\"secretary\":\"zoe\",\"number\":\"+491701111111\"}|400|field 'secretary': no secretary 'zoe'",
        "{\"secretary\":\"tina\",\"number\":\"+491701111111\"}|400|field 'secretary': endpoint 'client:tina'",
        "{\"secretary\":\"anna\",\"number\":\"hello\"}|400|field 'number'",
        "{\"secretary\":\"anna\",\"number\":17}|400|field 'number' must be a string",
        "{\"secretary\":\"anna\",\"number\":\"+491701111111\",\"x\":1}|400|unknown field 'x'",
        "[1,2]|400|not a JSON object",
        "{\"secretary\":\"anna\",\"number\":\"0170 1111111\"}|503|AMI is not configured"})
    void answersWithAnErrorNamingTheProblem(String body, int status, String error) throws Exception {
        HttpResponse<Buffer> r = post(body);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.getHeader("content-type")).startsWith("application/json");
        assertThat(new JsonObject(r.bodyAsString()).getString("error")).contains(error);
    }
}
