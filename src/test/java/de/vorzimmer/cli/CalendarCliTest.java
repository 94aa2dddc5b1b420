package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calendar sync [CLIENT]}, {@code holidays CLIENT [--year Y]} and {@code route} with a stored calendar. */
class CalendarCliTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    @TempDir
    Path dir;
    Path db;
    Path ics;

    @BeforeEach
    void book() throws Exception {
        db = dir.resolve("vz.db");
        ics = dir.resolve("solo.ics");
        Files.writeString(ics, String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
                "BEGIN:VEVENT", "UID:a@test", "DTSTAMP:20261201T000000Z", "SUMMARY:Hausbesuch",
                "DTSTART;TZID=Europe/Berlin:20261207T083000", "DTEND;TZID=Europe/Berlin:20261207T113000",
                "END:VEVENT", "END:VCALENDAR", ""));
        Path book = dir.resolve("book.yaml");
        Files.writeString(book, """
                version: 1
                secretaries: [{ id: anna, endpoint: PJSIP/anna }]
                clients:
                  - id: solo
                    name: Solo
                    lines: ["030 5550001"]
                    hours: [{ days: mon-fri, from: "08:00", to: "18:00" }]
                    holidays: DE-BY
                    calendar: { url: "%s" }
                  - id: plain
                    name: Plain
                    lines: ["030 5550002"]
                """.formatted(ics));
        assertThat(vz("import", book.toString()).exit()).isZero();
    }

    CliRun vz(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db.toString());
        return CliRun.run(NOW, all.toArray(String[]::new));
    }

    String route() {
        CliRun r = vz("route", "--to", "030 5550001", "--from", "030 1112223");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    @Test
    void routeUsesTheCalendarOnlyAfterItWasSynced() {
        assertThat(route()).contains("available: window mon-fri 08:00-18:00");

        CliRun sync = vz("calendar", "sync");

        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(sync.out()).isEqualTo("solo: fetched, 1 busy events in the window\n");
        assertThat(route()).contains("\"status\":\"unavailable\"").contains("unavailable: calendar 'Hausbesuch' until 11:30");
    }

    @Test
    void aBrokenFileKeepsTheLastGoodCopyAndTheCommandFails() throws Exception {
        vz("calendar", "sync", "solo");
        Files.writeString(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");

        CliRun sync = vz("calendar", "sync", "solo");

        assertThat(sync.exit()).isEqualTo(Main.FAILED);
        assertThat(sync.out()).startsWith("solo: failed: " + ics + ": VEVENT (line 3): DTSTART '2026' (line 5): not a date");
        assertThat(route()).contains("unavailable: calendar 'Hausbesuch' until 11:30");
    }

    @Test
    void holidaysListsTheRegionsPublicHolidays() {
        CliRun r = vz("holidays", "solo", "--year", "2026");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# solo: public holidays DE-BY 2026\n2026-01-01 Thu Neujahr\n")
                .contains("2026-06-04 Thu Fronleichnam\n").contains("2026-11-01 Sun Allerheiligen\n");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertBad(vz("holidays", "plain"), "vorzimmer: client 'plain' has no holidays region in the book (holidays: DE-BY)");
        assertBad(vz("holidays", "nobody"), "vorzimmer: unknown client 'nobody'; known: solo, plain");
        assertBad(vz("holidays", "solo", "--year", "99999"), "vorzimmer: --year 99999 is out of range (1900 to 2200)");
        assertBad(vz("calendar", "fetch"), "vorzimmer: unknown calendar action 'fetch', expected sync");
        assertBad(vz("calendar", "sync", "plain"), "vorzimmer: client 'plain' has no calendar in the book (calendar: {url: ...})");
        assertBad(vz("calendar", "sync", "nobody"), "vorzimmer: unknown client 'nobody'; known: solo, plain");
    }

    private static void assertBad(CliRun r, String line) {
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).isEqualTo(line + "\n");
        assertThat(r.out()).isEmpty();
    }
}
