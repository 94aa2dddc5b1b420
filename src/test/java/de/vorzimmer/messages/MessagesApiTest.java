package de.vorzimmer.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import de.vorzimmer.notify.NotificationState;
import de.vorzimmer.notify.OutboxFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The messages API over HTTP, served by the whole server on free ports (behind its guard, signed in as the admin):
 * good requests, and bad ones that store nothing.
 */
class MessagesApiTest {
    private static final String ADMIN_PASSWORD = "messages-api-test";

    @TempDir
    Path dir;
    ConsoleServer app;
    ConsoleServer.Session admin;
    Stores store;

    @BeforeEach
    void start() throws Exception {
        // the book of two clients the messages are for (intake fields, an English client), stored before the start
        try (Stores s = Stores.open(dir.resolve("vz.db"), Durability.FULL, new PinHasher())) {
            s.books().save(BookLoader.load(OutboxFixture.BOOK, new PinHasher()), "test", Instant.now());
        }
        app = new ConsoleServer(dir, Clock.systemUTC(), Map.of(Config.CONSOLE_ADMIN_PASSWORD, ADMIN_PASSWORD));
        admin = app.login(VorzimmerServer.ADMIN_USER, ADMIN_PASSWORD);
        store = Stores.on(app.server.database());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return app.send("POST", path, Map.of("Cookie", admin.cookie(), AuthHandler.CSRF_HEADER, admin.csrf()), body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return app.send("GET", path, Map.of("Cookie", admin.cookie()), null);
    }

    private int stored() {
        return store.messages().list(MessageFilter.all().limit(MessageFilter.MAX_LIMIT)).size();
    }

    private static final String GOOD = """
            {"client":"mueller","caller_number":"+49309876543","caller_name":"Frau Weber","text":"Zahnschmerzen",
             "urgent":true,"callback":true,"intake":{"Rückrufnummer":"0170 555","Patient seit":"2019"}}""";

    @Test
    void typedUrgentMessageIsStoredWithIntakeAndQueuesOneSms() throws Exception {
        HttpResponse<String> r = post("/api/v1/messages", GOOD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject m = new JsonObject(r.body());
        assertThat(m.getString("state")).isEqualTo("new");
        assertThat(m.getBoolean("callback_wanted")).isTrue();
        assertThat(m.getJsonObject("intake").encode()).isEqualTo("{\"Patient seit\":\"2019\",\"Rückrufnummer\":\"0170 555\"}");
        JsonObject n = m.getJsonArray("notifications").getJsonObject(0);
        assertThat(n.getString("state")).isEqualTo("pending");
        assertThat(n.getString("to")).isEqualTo("+491701111111");
        assertThat(n.getString("key")).isEqualTo("urgent:" + m.getLong("id"));
        // besides the SMS, the escalation's first call-out waits for its time (10 minutes unconfirmed)
        JsonArray pending = new JsonArray(get("/api/v1/outbox?state=pending").body());
        assertThat(pending.stream().map(o -> ((JsonObject) o).getString("channel")).toList())
                .containsExactlyInAnyOrder("sms", "call");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"caller_number\":\"1\",\"text\":\"x\"}|field 'client' is missing",
            "{\"client\":\"nobody\",\"caller_number\":\"1\",\"text\":\"x\"}|field 'client': unknown client 'nobody'",
            "{\"client\":\"smith\",\"caller_number\":\"1\"}|field 'text' is missing",
            "{\"client\":\"smith\",\"text\":\"x\"}|field 'caller_number' is missing",
            "{\"client\":\"smith\",\"caller_number\":\"1\",\"text\":\"x\",\"urgent\":\"yes\"}|field 'urgent' must be true or false",
            "{\"client\":\"smith\",\"caller_number\":12,\"text\":\"x\"}|field 'caller_number' must be a string",
            "{\"client\":\"smith\",\"caller_number\":\"1\",\"text\":\"x\",\"colour\":\"red\"}|unknown field 'colour'",
            "{\"client\":\"mueller\",\"caller_number\":\"1\",\"text\":\"x\",\"urgent\":true}|field 'intake.Rückrufnummer': intake field 'Rückrufnummer' is required",
            "{\"client\":\"mueller\",\"caller_number\":\"1\",\"text\":\"x\",\"intake\":{\"Rückrufnummer\":\"1\",\"Hund\":\"ja\"}}|field 'intake.Hund'",
            "{\"client\":\"mueller\",\"caller_number\":\"1\",\"text\":\"x\",\"intake\":[\"a\"]}|field 'intake' must be an object",
            "[1,2]|body is not a JSON object",
            "{not json|body is not a JSON object",
    })
    void badInputIsRefusedNamingTheFieldAndStoresNothing(String body, String reason) throws Exception {
        HttpResponse<String> r = post("/api/v1/messages", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).startsWith(reason);
        assertThat(stored()).isZero();
        assertThat(store.outbox().list(null, 10)).isEmpty();
    }

    @Test
    void megabyteBodyIsRefusedWith413() throws Exception {
        String big = "{\"client\":\"smith\",\"caller_number\":\"1\",\"text\":\"" + "x".repeat(1 << 20) + "\"}";
        HttpResponse<String> r = post("/api/v1/messages", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(r.body()).getString("error")).startsWith("body larger than");
        assertThat(stored()).isZero();
    }

    @Test
    void listFiltersByClientUrgencyStateSinceAndLimit() throws Exception {
        post("/api/v1/messages", GOOD);
        post("/api/v1/messages", "{\"client\":\"smith\",\"caller_name\":\"Bob\",\"text\":\"hello\"}");
        post("/api/v1/messages", "{\"client\":\"smith\",\"caller_name\":\"Ann\",\"text\":\"hi\"}");
        assertThat(new JsonArray(get("/api/v1/messages").body())).hasSize(3);
        assertThat(new JsonArray(get("/api/v1/messages?client=smith").body())).hasSize(2);
        assertThat(new JsonArray(get("/api/v1/messages?urgent=true").body())).hasSize(1);
        assertThat(new JsonArray(get("/api/v1/messages?client=smith&limit=1").body()).getJsonObject(0)
                .getString("caller_name")).isEqualTo("Ann");
        assertThat(new JsonArray(get("/api/v1/messages?since=2999-01-01T00:00:00Z").body())).isEmpty();
        assertThat(new JsonArray(get("/api/v1/messages?state=new").body())).hasSize(3);
        assertThat(get("/api/v1/messages?since=yesterday").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/messages?limit=0").statusCode()).isEqualTo(400);
        assertThat(new JsonObject(get("/api/v1/messages?state=gone").body()).getString("error"))
                .startsWith("parameter 'state': unknown message state 'gone'");
    }

    @Test
    void stateMovesForwardWithWhoAndWhenAndNeverBack() throws Exception {
        long id = new JsonObject(post("/api/v1/messages", GOOD).body()).getLong("id");
        HttpResponse<String> read = post("/api/v1/messages/" + id + "/state", "{\"state\":\"read\",\"by\":\"anna\"}");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonObject m = new JsonObject(read.body());
        assertThat(m.getString("state")).isEqualTo("read");
        assertThat(m.getString("state_changed_by")).as("the signed-in user, not the body's by").isEqualTo("admin");
        assertThat(m.getJsonArray("history")).hasSize(2);

        HttpResponse<String> back = post("/api/v1/messages/" + id + "/state", "{\"state\":\"new\",\"by\":\"anna\"}");
        assertThat(back.statusCode()).isEqualTo(409);
        assertThat(post("/api/v1/messages/" + id + "/state", "{\"state\":\"gone\",\"by\":\"anna\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/messages/999/state", "{\"state\":\"done\",\"by\":\"anna\"}").statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/messages/abc/state", "{\"state\":\"done\",\"by\":\"anna\"}").statusCode()).isEqualTo(400);
        assertThat(store.messages().history(id)).hasSize(2);
    }

    @Test
    void outboxListRejectsAnUnknownState() throws Exception {
        HttpResponse<String> r = get("/api/v1/outbox?state=lost");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains("unknown outbox state 'lost'");
        assertThat(NotificationState.parse("failed")).isEqualTo(NotificationState.FAILED);
    }
}
