package de.vorzimmer.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The background sync against a real HTTP server and a real SQLite file: a good feed makes the client unavailable
 * during its event; a second fetch is conditional; every way a feed can fail gives a clear error, keeps the last
 * good copy in force (and in the store, for a restart) and routing goes on with it.
 */
class CalendarSyncTest {
    /** Monday 7 December 2026, 08:00 UTC (09:00 in Berlin). */
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final String ICS = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
            "BEGIN:VEVENT", "UID:meeting@test", "DTSTAMP:20261201T000000Z", "SUMMARY:Besprechung",
            "DTSTART;TZID=Europe/Berlin:20261207T090000", "DTEND;TZID=Europe/Berlin:20261207T150000",
            "END:VEVENT", "END:VCALENDAR", "");

    @TempDir
    Path dir;
    Vertx vertx;
    IcsServer http;
    Stores store;
    LiveRouting routing;
    CalendarSync sync;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        http = new IcsServer(vertx, ICS);
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, new PinHasher(1));
        Book book = BookLoader.load(("""
                version: 1
                secretaries: [{ id: anna, endpoint: PJSIP/anna, languages: [de] }]
                clients:
                """ + TestClients.MUELLER + """
                    hours: [{ days: mon-fri, from: "08:00", to: "18:00" }]
                    calendar: { url: "%s" }
                  - id: nowhere
                    name: Nirgends
                    lines: ["030 7654321"]
                    calendar: { url: "http://127.0.0.1:%d/cal.ics" }
                """).formatted(http.url("/mueller.ics"), closedPort()), new PinHasher(1));
        store.books().save(book, "test", NOW);
        routing = new LiveRouting(store.snapshots().at(NOW), Clock.fixed(NOW, ZoneOffset.UTC));
        sync = newSync();
        sync.load();
    }

    CalendarSync newSync() {
        return new CalendarSync(vertx, new CalendarStore(store.database()),
                new FeedFetcher(vertx, Duration.ofSeconds(5), 10_000_000), routing, id -> null,
                CalendarSync.Settings.of(Duration.ofMinutes(5), Duration.ofDays(35)));
    }

    @AfterEach
    void stop() throws Exception {
        sync.close();
        http.close();
        store.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    CalendarSync.Outcome syncMueller() throws Exception {
        return sync.syncNow("mueller").await(20, TimeUnit.SECONDS);
    }

    Decision callAt(Instant t) {
        return routing.decide(new Call("030 1234567", "030 5550000", null, false, null), t);
    }

    @Test
    void aFetchedEventMakesTheClientUnavailableUntilItEnds() throws Exception {
        assertThat(callAt(NOW).why()).contains("available: window mon-fri 08:00-18:00");

        CalendarSync.Outcome o = syncMueller();

        assertThat(o.ok()).isTrue();
        assertThat(o.events()).isEqualTo(1);
        assertThat(callAt(NOW).status().word()).isEqualTo("unavailable");
        assertThat(callAt(NOW).why()).contains("unavailable: calendar 'Besprechung' until 15:00");
        assertThat(callAt(NOW.plus(Duration.ofHours(6))).why()).contains("available: window mon-fri 08:00-18:00");
    }

    @Test
    void aSecondFetchIsConditionalAndAnUnchangedFeedIsNotReadAgain() throws Exception {
        syncMueller();
        CalendarSync.Outcome again = syncMueller();

        assertThat(again.ok()).isTrue();
        assertThat(again.changed()).isFalse();
        assertThat(http.notModified.get()).isEqualTo(1);
        assertThat(callAt(NOW).why()).contains("unavailable: calendar 'Besprechung' until 15:00");
    }

    @Test
    void aRestartKeepsTheLastGoodCopyWithoutFetching() throws Exception {
        syncMueller();
        sync.close();
        int requests = http.requests.get();
        routing.update(s -> s.withCalendars(java.util.Map.of()));

        sync = newSync();
        sync.load();

        assertThat(callAt(NOW).why()).contains("unavailable: calendar 'Besprechung' until 15:00");
        assertThat(http.requests.get()).isEqualTo(requests);
    }

    @Test
    void anUnreachableCalendarIsAClearErrorAndTheClientFollowsItsHours() throws Exception {
        CalendarSync.Outcome o = sync.syncNow("nowhere").await(20, TimeUnit.SECONDS);

        assertThat(o.ok()).isFalse();
        assertThat(o.error()).startsWith("http://127.0.0.1:").contains("/cal.ics: cannot be reached");
        FeedState s = new CalendarStore(store.database()).get("nowhere").orElseThrow();
        assertThat(s.lastError()).isEqualTo(o.error());
        assertThat(s.failingSince()).isEqualTo(NOW);
        assertThat(s.nextAt()).isAfter(NOW);
        assertThat(routing.snapshot().calendar("nowhere").staleSince()).isEqualTo(NOW);
        assertThat(routing.decide(new Call("030 7654321", "030 5550000", null, false, null), NOW).why())
                .contains("unavailable: outside hours");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      UNAUTHORIZED | /mueller.ics: HTTP 401 Unauthorized: check calendar.credentials for this client
      ERROR        | /mueller.ics: HTTP 500 Internal Server Error
      HTML         | /mueller.ics: the server sent an HTML page (Content-Type text/html; charset=utf-8), not a calendar
      HUGE         | /mueller.ics: the calendar has 50000000 bytes, more than calendar.max-bytes (10000000); refused
      HUGE_CHUNKED | /mueller.ics: the calendar has more than 10000000 bytes, more than calendar.max-bytes (10000000); refused
      BROKEN       | VEVENT 'Kaputt' (line 4): DTSTART '2026XX07T100000' (line 7): not a date (YYYYMMDD) or date-time
      RESET        | /mueller.ics: cannot be reached
      """)
    void aFailingFeedKeepsTheLastGoodCopyAndSaysWhy(IcsServer.Mode mode, String why) throws Exception {
        assertThat(syncMueller().ok()).isTrue();
        http.mode.set(mode);

        CalendarSync.Outcome o = syncMueller();

        assertThat(o.ok()).isFalse();
        assertThat(o.error()).startsWith(http.url("/mueller.ics")).contains(why);
        FeedState s = new CalendarStore(store.database()).get("mueller").orElseThrow();
        assertThat(s.lastError()).isEqualTo(o.error());
        assertThat(s.failingSince()).isEqualTo(NOW);
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.hasCopy()).isTrue();
        assertThat(routing.snapshot().calendar("mueller").staleSince()).isEqualTo(NOW);
        assertThat(callAt(NOW).why()).contains("unavailable: calendar 'Besprechung' until 15:00");

        http.mode.set(IcsServer.Mode.GOOD);
        assertThat(syncMueller().ok()).isTrue();
        assertThat(routing.snapshot().calendar("mueller").staleSince()).isNull();
    }

    @Test
    void errorsBackOffWhileSuccessWaitsTheRefreshInterval() throws Exception {
        syncMueller();
        FeedState good = new CalendarStore(store.database()).get("mueller").orElseThrow();
        assertThat(Duration.between(NOW, good.nextAt())).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));

        http.mode.set(IcsServer.Mode.ERROR);
        syncMueller();
        Duration first = Duration.between(NOW, new CalendarStore(store.database()).get("mueller").orElseThrow().nextAt());
        syncMueller();
        syncMueller();
        Duration third = Duration.between(NOW, new CalendarStore(store.database()).get("mueller").orElseThrow().nextAt());

        assertThat(first).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
        assertThat(third).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(4));
    }
}
