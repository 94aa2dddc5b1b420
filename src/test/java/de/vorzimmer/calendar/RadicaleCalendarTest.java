package de.vorzimmer.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.cli.Main;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.routing.Call;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Against a real CalDAV server (Debian's Radicale on loopback, credentials from the configuration only): an event
 * the client puts into its calendar changes the next decision after {@code calendar sync}; an appointment the
 * secretary books in the console appears in the client's calendar; a booking that overlaps a busy event is refused
 * with the reason.
 */
class RadicaleCalendarTest {
    /** Monday 7 December 2026, 08:00 UTC = 09:00 in Berlin. */
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final String ADMIN_PASSWORD = "calendar-test-admin";

    @TempDir
    Path dir;
    Radicale radicale;
    VorzimmerServer server;
    Path db;
    Path config;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        radicale = new Radicale(dir.resolve("radicale"));
        db = dir.resolve("vz.db");
        try (Stores store = Stores.open(db, Durability.NORMAL, new PinHasher(1))) {
            store.books().save(BookLoader.load("""
                    version: 1
                    secretaries: [{ id: anna, name: Anna, endpoint: PJSIP/anna, languages: [de] }]
                    clients:
                      - id: mueller
                        name: Zahnarztpraxis Dr. Müller
                        lines: ["030 1234567"]
                        reach: "0170 1111111"
                        hours: [{ days: mon-fri, from: "08:00", to: "18:00" }]
                        holidays: DE-BE
                        calendar: { url: "%s", book-into: true }
                    """.formatted(radicale.calendarUrl()), new PinHasher(1)), "test", NOW);
        }
        // the credentials live in the configuration (file for the command line, environment for the server)
        config = dir.resolve("vorzimmer.yaml");
        Files.writeString(config, "calendar:\n  credentials:\n    mueller: { user: " + Radicale.USER + ", password: "
                + Radicale.PASSWORD + " }\n");
        Map<String, String> keys = new HashMap<>();
        keys.put(Config.DB, db.toString());
        keys.put(Config.HTTP_PORT, "0");
        keys.put(Config.AGI_PORT, "0");
        keys.put(Config.CONSOLE_ADMIN_PASSWORD, ADMIN_PASSWORD);
        // an SMS account, so the booking's confirmation is queued in the outbox (sent nowhere: the API is closed)
        keys.put(Config.TWILIO_ACCOUNT_SID, "AC" + "0".repeat(32));
        keys.put(Config.TWILIO_AUTH_TOKEN, "test-token");
        keys.put(Config.TWILIO_FROM, "+493000000000");
        keys.put(Config.TWILIO_API_URL, "http://127.0.0.1:" + CalendarSyncTest.closedPort());
        Map<String, String> env = Map.of("VORZIMMER_CALENDAR_CREDENTIALS_MUELLER_USER", Radicale.USER,
                "VORZIMMER_CALENDAR_CREDENTIALS_MUELLER_PASSWORD", Radicale.PASSWORD);
        server = VorzimmerServer.start(Config.load(null, env, keys), false, Clock.fixed(NOW, ZoneOffset.UTC));
        // the server's first background fetch (on the holder of the calendar lease) has ended before a test changes
        // the calendar: what it then sees comes from a fetch the test asked for
        await("the server's first calendar fetch").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> server.calendars().state("mueller") != null);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (radicale != null) radicale.close();
    }

    record Run(int exit, String out, String err) {
    }

    Run vz(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new Main(Clock.fixed(NOW, ZoneOffset.UTC), PinHasher.fast()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String event(String uid, String summary, String startLocal, String endLocal) {
        return String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
                "BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261201T000000Z", "SUMMARY:" + summary,
                "DTSTART;TZID=Europe/Berlin:" + startLocal, "DTEND;TZID=Europe/Berlin:" + endLocal,
                "END:VEVENT", "END:VCALENDAR", "");
    }

    String route() {
        Run r = vz("route", "--to", "030 1234567", "--from", "030 5550000", "--at", NOW.toString(), "--db", db.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private void awaitServersFirstFetch() {
        org.awaitility.Awaitility.await("the server's first calendar fetch").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> server.database().read(c -> {
                    try (var p = c.prepareStatement("SELECT checked_at FROM calendar_feeds WHERE client_id = 'mueller'");
                         var rs = p.executeQuery()) {
                        return rs.next() && rs.getObject(1) != null;
                    }
                }));
    }

    @Test
    void anEventCreatedInRadicaleChangesTheNextDecisionAfterCalendarSync() throws Exception {
        assertThat(route()).contains("\"status\":\"available\"").contains("available: window mon-fri 08:00-18:00");
        // the server's own first fetch (at its start) is over before the event is created: its next is minutes away
        awaitServersFirstFetch();

        radicale.put("meeting", event("meeting@praxis", "Besprechung", "20261207T083000", "20261207T150000"));
        assertThat(route()).as("route never fetches").contains("\"status\":\"available\"");

        Run sync = vz("calendar", "sync", "mueller", "--config", config.toString(), "--db", db.toString());

        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(sync.out()).isEqualTo("mueller: fetched, 1 busy events in the window\n");
        assertThat(route()).contains("\"status\":\"unavailable\"")
                .contains("unavailable: calendar 'Besprechung' until 15:00");
        // the running server picks up what the command line fetched
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(server.routing()
                .decide(new Call("030 1234567", "030 5550000", null, false, null), NOW).why())
                .contains("unavailable: calendar 'Besprechung' until 15:00"));
    }

    @Test
    void withoutCredentialsRadicaleRefusesAndTheCommandSaysSo() throws Exception {
        Run sync = vz("calendar", "sync", "mueller", "--db", db.toString());

        assertThat(sync.exit()).isEqualTo(Main.FAILED);
        assertThat(sync.out()).startsWith("mueller: failed: " + radicale.calendarUrl() + ": HTTP 401")
                .contains("check calendar.credentials").doesNotContain(Radicale.PASSWORD);
    }

    @Test
    void anAppointmentBookedInTheConsoleAppearsInRadicaleAndAConflictIsRefused() throws Exception {
        radicale.put("meeting", event("meeting@praxis", "Besprechung", "20261208T100000", "20261208T120000"));
        ConsoleServer.Session session = login();

        HttpResponse<String> booked = post(session, "/api/v1/clients/mueller/appointments", new JsonObject()
                .put("start", "2026-12-08T14:00").put("minutes", 30).put("title", "Kontrolle Frau Meier")
                .put("callerName", "Erika Meier").put("callerNumber", "0151 2345678").put("note", "Zahnschmerzen links")
                .put("sms", true));

        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        JsonObject b = new JsonObject(booked.body());
        assertThat(b.getBoolean("sms")).isTrue();
        var sms = Stores.on(server.database()).outbox().list(null, 100).stream()
                .filter(n -> n.key().equals("booking:" + b.getString("uid"))).findFirst().orElseThrow();
        assertThat(sms.to()).isEqualTo("+491512345678");
        assertThat(sms.body()).startsWith("Ihr Termin bei Zahnarztpraxis Dr. Müller: Di. 08.12.2026 um 14:00 (Kontrolle Frau Meier)");
        String calendar = radicale.calendar();
        assertThat(calendar).contains("SUMMARY:Kontrolle Frau Meier").contains("DTSTART:20261208T130000Z")
                .contains("+491512345678").contains("Erika Meier");

        HttpResponse<String> clash = post(session, "/api/v1/clients/mueller/appointments", new JsonObject()
                .put("start", "2026-12-08T11:30").put("minutes", 60).put("title", "Neupatient Herr Kurz"));

        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(clash.body()).getString("reason"))
                .isEqualTo("conflicts with 'Besprechung' 2026-12-08 10:00-12:00");
        assertThat(radicale.calendar()).doesNotContain("Neupatient");

        HttpResponse<String> onTheBooked = post(session, "/api/v1/clients/mueller/appointments", new JsonObject()
                .put("start", "2026-12-08T14:15").put("minutes", 30).put("title", "Doppelt"));
        assertThat(onTheBooked.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(onTheBooked.body()).getString("reason")).startsWith("conflicts with 'Kontrolle Frau Meier'");
    }

    @Test
    void theFreeBusyViewShowsTheNextDaysAndTheHolidays() throws Exception {
        radicale.put("meeting", event("meeting@praxis", "Besprechung", "20261208T100000", "20261208T120000"));
        ConsoleServer.Session session = login();
        post(session, "/api/v1/clients/mueller/calendar/sync", new JsonObject());

        HttpResponse<String> r = get(session, "/api/v1/clients/mueller/calendar?days=31");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject o = new JsonObject(r.body());
        assertThat(o.getJsonArray("busy").getJsonObject(0).getString("note")).isEqualTo("Besprechung");
        assertThat(o.getJsonArray("busy").getJsonObject(0).getString("start")).isEqualTo("2026-12-08T09:00:00Z");
        assertThat(o.getJsonArray("holidayDates").encode()).contains("\"date\":\"2026-12-25\"");
        assertThat(o.getBoolean("bookInto")).isTrue();
    }

    ConsoleServer.Session login() throws Exception {
        return ConsoleServer.login(http, base(), "admin", ADMIN_PASSWORD);
    }

    HttpResponse<String> post(ConsoleServer.Session session, String path, JsonObject body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Cookie", session.cookie())
                .header("X-CSRF-Token", session.csrf())
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(ConsoleServer.Session session, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Cookie", session.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }
}
