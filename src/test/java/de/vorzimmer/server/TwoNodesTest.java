package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.book.Status;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.cli.InProcessCli;
import de.vorzimmer.cluster.LeaseStore;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.routing.Call;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database, in one JVM (each with its own pool, Vert.x and routing, as two processes
 * would have): a status set on one node, by the console or the command line, is in the other's next decision; the
 * once-only work sits with one node and moves when it stops.
 */
class TwoNodesTest {
    static final Call LAB_TO_MUELLER = Call.of("030 1234567", "030 9876543");
    private Database.Target db;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path keys;
    private VorzimmerServer a;
    private VorzimmerServer b;

    @BeforeEach
    void twoNodes() throws Exception {
        db = TestPostgres.newDatabase("nodes");
        a = node("node-a");
        b = node("node-b");
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    private VorzimmerServer node(String name) throws Exception {
        Config config = Config.load(null, Map.of(), Map.of(Config.DB, db.location(), Config.NODE_NAME, name,
                Config.HTTP_PORT, "0", Config.AGI_PORT, "0", Config.CONSOLE_ADMIN_PASSWORD, "two-nodes-admin",
                Config.PIN_PEPPER_FILE, keys.resolve("pin-pepper.key").toString()));
        return VorzimmerServer.start(config, true, Clock.systemUTC());
    }

    private static Status statusOn(VorzimmerServer node) {
        return node.routing().decide(LAB_TO_MUELLER).status();
    }

    @Test
    void aStatusSetInTheConsoleOfOneNodeDecidesTheOthersNextCall() throws Exception {
        assertThat(statusOn(b)).isNotEqualTo(Status.DND);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + a.httpPort();
        ConsoleServer.Session admin = login(http, a, "admin", "two-nodes-admin");
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/clients/mueller/status"))
                .header("Content-Type", "application/json").header("Cookie", admin.cookie())
                .header(AuthHandler.CSRF_HEADER, admin.csrf())
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"dnd\",\"note\":\"OP\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isBetween(200, 201);
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOn(b) == Status.DND);
    }

    private static ConsoleServer.Session login(HttpClient http, VorzimmerServer node, String user, String password)
            throws Exception {
        return ConsoleServer.login(http, "http://127.0.0.1:" + node.httpPort(), user, password);
    }

    private static HttpResponse<String> choose(HttpClient http, VorzimmerServer node, ConsoleServer.Session session,
                                               String callId, String choice) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/calls/"
                        + callId + "/choice")).header("Content-Type", "application/json")
                .header("Cookie", session.cookie()).header(AuthHandler.CSRF_HEADER, session.csrf())
                .POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("choice", choice).encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallTakenOnOneNodeIsTakenOnTheOtherAndItsConsolesHearWho() throws Exception {
        java.util.List<JsonObject> heardOnB = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.vertx().eventBus().<JsonObject>consumer(de.vorzimmer.console.CallFeed.CLAIMS, m -> heardOnB.add(m.body()));
        HttpClient http = HttpClient.newHttpClient();
        a.consoleAuth().setUser("anna", de.vorzimmer.console.Role.SECRETARY, "anna", "Anna Weber", "anna-on-node-a", false);
        a.consoleAuth().setUser("ben", de.vorzimmer.console.Role.SECRETARY, "ben", "Ben Krüger", "ben-on-node-b", false);
        ConsoleServer.Session annaOnA = login(http, a, "anna", "anna-on-node-a");
        ConsoleServer.Session benOnB = login(http, b, "ben", "ben-on-node-b");
        String call = "1764400000.9";

        assertThat(choose(http, a, annaOnA, call, "message").statusCode()).isEqualTo(200);
        HttpResponse<String> late = choose(http, b, benOnB, call, "put-through");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
        assertThat(new JsonObject(late.body()).getString("by")).isEqualTo("anna");
        await("node B's consoles hear that anna took the call").atMost(Duration.ofSeconds(5)).until(() -> heardOnB.stream()
                .anyMatch(c -> call.equals(c.getString("callId")) && "anna".equals(c.getString("by"))));
    }

    @Test
    void aDutyChangeInTheConsoleOfOneNodeIsTheOtherNodesTruthToo() throws Exception {
        assertThat(b.routing().snapshot().offDuty()).doesNotContain("anna");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + a.httpPort();
        ConsoleServer.Session admin = login(http, a, "admin", "two-nodes-admin");
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/duty/anna"))
                .header("Content-Type", "application/json").header("Cookie", admin.cookie())
                .header(AuthHandler.CSRF_HEADER, admin.csrf())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"onDuty\":false}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        await("anna off duty on node B").atMost(Duration.ofSeconds(5)).until(() -> b.routing().snapshot().offDuty().contains("anna"));
        // node B's console says so too
        String baseB = "http://127.0.0.1:" + b.httpPort();
        ConsoleServer.Session adminOnB = login(http, b, "admin", "two-nodes-admin");
        HttpResponse<String> duty = http.send(HttpRequest.newBuilder(URI.create(baseB + "/api/v1/duty"))
                .header("Cookie", adminOnB.cookie()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(duty.body()).getJsonArray("secretaries").stream().map(JsonObject.class::cast)
                .filter(o -> o.getString("id").equals("anna")).map(o -> o.getBoolean("onDuty")).toList())
                .containsExactly(false);
    }

    @Test
    void aStatusSetOnTheCommandLineReachesEveryNode() {
        assertThat(InProcessCli.run("status", "mueller", "unavailable", "--db", db.location())).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOn(a) == Status.UNAVAILABLE && statusOn(b) == Status.UNAVAILABLE);
    }

    @Test
    void theOnceOnlyWorkSitsWithOneNodeAndMovesWhenItStops() {
        LeaseStore leases = new LeaseStore(a.database());
        for (String name : new String[] {VorzimmerServer.OUTBOX_LEASE, VorzimmerServer.DIGESTS_LEASE,
                VorzimmerServer.HOUSEKEEPING_LEASE, VorzimmerServer.CALENDARS_LEASE}) {
            assertThat(leases.get(name)).as(name).hasValueSatisfying(l -> assertThat(l.holder()).isEqualTo("node-a"));
        }
        a.close();
        a = null;
        LeaseStore onB = new LeaseStore(b.database());
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.get(VorzimmerServer.OUTBOX_LEASE)
                .map(l -> l.holder().equals("node-b")).orElse(false));
        assertThat(onB.get(VorzimmerServer.HOUSEKEEPING_LEASE).orElseThrow().holder()).isEqualTo("node-b");
        assertThat(onB.get(VorzimmerServer.CALENDARS_LEASE).orElseThrow().holder()).isEqualTo("node-b");
    }

    @Test
    void aCalendarIsFetchedByOneNodeAndEveryNodeDecidesWithIt() throws Exception {
        java.time.format.DateTimeFormatter utc = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.time.Instant now = java.time.Instant.now();
        byte[] ics = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT",
                "UID:meeting@test", "DTSTAMP:" + utc.format(now), "SUMMARY:Besprechung",
                "DTSTART:" + utc.format(now.minus(Duration.ofHours(1))), "DTEND:" + utc.format(now.plus(Duration.ofHours(3))),
                "END:VEVENT", "END:VCALENDAR", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer feed = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        feed.createContext("/mueller.ics", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "text/calendar");
            exchange.sendResponseHeaders(200, ics.length);
            exchange.getResponseBody().write(ics);
            exchange.close();
        });
        feed.start();
        try {
            java.nio.file.Path book = keys.resolve("book.yaml");
            java.nio.file.Files.writeString(book, ("""
                    version: 1
                    secretaries: [{ id: anna, endpoint: PJSIP/anna, languages: [de] }]
                    clients:
                    """ + TestClients.MUELLER + """
                        calendar: { url: "http://127.0.0.1:%d/mueller.ics" }
                    """).formatted(feed.getAddress().getPort()));
            assertThat(InProcessCli.run("import", book.toString(), "--db", db.location())).isZero();

            await("both nodes decide with the calendar").atMost(Duration.ofSeconds(30)).until(() ->
                    whyOn(a).contains("calendar 'Besprechung'") && whyOn(b).contains("calendar 'Besprechung'"));
            assertThat(fetches.get()).as("fetches of the feed").isEqualTo(1);
            assertThat(new LeaseStore(a.database()).get(VorzimmerServer.CALENDARS_LEASE)).as("the calendar lease")
                    .hasValueSatisfying(l -> assertThat(l.holder()).isIn("node-a", "node-b"));
        } finally {
            feed.stop(0);
        }
    }

    private static String whyOn(VorzimmerServer node) {
        return String.join("; ", node.routing().decide(LAB_TO_MUELLER).why());
    }
}
