package de.vorzimmer.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.HolidayRegion;
import de.vorzimmer.book.Window;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.StatusTimeline;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Status with a calendar (design: "Calendars, holidays and on-call"): the newest override; else a busy calendar
 * event makes the client unavailable with the event's summary ({@code busy} for a private one); else a public
 * holiday; else the weekly hours. One client in Berlin, hours mon-fri 08:00-18:00, holidays of Bavaria, and the
 * calendar {@link #ICS}. Times in the table are Berlin wall-clock times; {@code +1h} marks the second pass through
 * the repeated autumn hour.
 */
class CalendarStatusTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final List<Window> HOURS = List.of(new Window(DaySet.parse("mon-fri"), 8 * 60, 18 * 60));

    /** Europe/Berlin leaves summer time on Sunday 2026-10-25 at 03:00 (back to 02:00). */
    static final String ICS = String.join("\r\n",
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
            // weekly Monday meeting 14:00-15:00 from 5 October, ten times
            "BEGIN:VEVENT", "UID:weekly@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Besprechung",
            "DTSTART;TZID=Europe/Berlin:20261005T140000", "DTEND;TZID=Europe/Berlin:20261005T150000",
            "RRULE:FREQ=WEEKLY;COUNT=10", "EXDATE;TZID=Europe/Berlin:20261102T140000", "END:VEVENT",
            // ... its 12 October occurrence moved to Tuesday 13 October 09:00-10:30
            "BEGIN:VEVENT", "UID:weekly@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Besprechung (verschoben)",
            "RECURRENCE-ID;TZID=Europe/Berlin:20261012T140000",
            "DTSTART;TZID=Europe/Berlin:20261013T090000", "DTEND;TZID=Europe/Berlin:20261013T103000", "END:VEVENT",
            // ... its 26 October occurrence cancelled
            "BEGIN:VEVENT", "UID:weekly@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Besprechung",
            "RECURRENCE-ID;TZID=Europe/Berlin:20261026T140000", "STATUS:CANCELLED",
            "DTSTART;TZID=Europe/Berlin:20261026T140000", "DTEND;TZID=Europe/Berlin:20261026T150000", "END:VEVENT",
            // a night shift across the end of summer time: 01:00 to 04:00 wall clock, four real hours
            "BEGIN:VEVENT", "UID:night@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Nachtdienst",
            "DTSTART;TZID=Europe/Berlin:20261025T010000", "DTEND;TZID=Europe/Berlin:20261025T040000", "END:VEVENT",
            // all-day company holiday Thursday 5 and Friday 6 November (DTEND is exclusive)
            "BEGIN:VEVENT", "UID:allday@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Betriebsurlaub",
            "DTSTART;VALUE=DATE:20261105", "DTEND;VALUE=DATE:20261107", "END:VEVENT",
            // floating time: 09:00-10:00 wherever the client is
            "BEGIN:VEVENT", "UID:floating@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Sprechstunde",
            "DTSTART:20261110T090000", "DTEND:20261110T100000", "END:VEVENT",
            // transparent (free): does not count
            "BEGIN:VEVENT", "UID:free@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Erinnerung",
            "TRANSP:TRANSPARENT", "DTSTART:20261111T090000Z", "DTEND:20261111T100000Z", "END:VEVENT",
            // private: busy, but its title stays hidden
            "BEGIN:VEVENT", "UID:private@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Arzttermin Dr. Fischer",
            "CLASS:PRIVATE", "DTSTART:20261112T080000Z", "DTEND:20261112T090000Z", "END:VEVENT",
            // a cancelled single event
            "BEGIN:VEVENT", "UID:cancelled@test", "DTSTAMP:20260901T000000Z", "SUMMARY:Abgesagt",
            "STATUS:CANCELLED", "DTSTART;TZID=Europe/Berlin:20261113T090000",
            "DTEND;TZID=Europe/Berlin:20261113T100000", "END:VEVENT",
            "END:VCALENDAR", "");

    static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
    static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

    static Client client(String holidays, ZoneId zone) {
        return new Client("mueller", "Dr. Müller", null, null, List.of("+49301234567"), null, null, "DE", zone, "de",
                null, HOURS, List.of(), List.of(), List.of(), null, null,
                holidays == null ? null : HolidayRegion.parse(holidays));
    }

    static CalendarView view(Client c) throws CalendarException {
        IcsFeed feed = IcsParser.parse(ICS);
        return new CalendarViews().view(c, Expansion.busy(feed, c.timezone(), FROM, TO), FROM, TO, null);
    }

    static Instant berlin(String local) {
        boolean secondPass = local.endsWith("+1h");
        LocalDateTime t = LocalDateTime.parse(local.replace("+1h", "").strip().replace(' ', 'T'));
        var zoned = t.atZone(BERLIN);
        return (secondPass ? zoned.withLaterOffsetAtOverlap() : zoned.withEarlierOffsetAtOverlap()).toInstant();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
    # case                                                 | Berlin time            | status      | why
      weekly meeting, first occurrence                     | 2026-10-05 14:30       | unavailable | unavailable: calendar 'Besprechung' until 15:00
      weekly meeting end is exclusive                      | 2026-10-05 15:00       | available   | available: window mon-fri 08:00-18:00
      moved occurrence is gone from Monday                 | 2026-10-12 14:30       | available   | available: window mon-fri 08:00-18:00
      ... and busy at its new time on Tuesday              | 2026-10-13 10:00       | unavailable | unavailable: calendar 'Besprechung (verschoben)' until 10:30
      the Tuesday after the move is free at 14:30          | 2026-10-13 14:30       | available   | available: window mon-fri 08:00-18:00
      weekly meeting in summer time (12:00 UTC)            | 2026-10-19 14:30       | unavailable | unavailable: calendar 'Besprechung' until 15:00
      cancelled occurrence (RECURRENCE-ID, CANCELLED)      | 2026-10-26 14:30       | available   | available: window mon-fri 08:00-18:00
      excluded occurrence (EXDATE)                         | 2026-11-02 14:30       | available   | available: window mon-fri 08:00-18:00
      weekly meeting in winter time: still 14:00 local     | 2026-11-09 14:30       | unavailable | unavailable: calendar 'Besprechung' until 15:00
      night shift before the DST change                    | 2026-10-25 01:30       | unavailable | unavailable: calendar 'Nachtdienst' until 04:00
      night shift, repeated hour, first pass               | 2026-10-25 02:30       | unavailable | unavailable: calendar 'Nachtdienst' until 04:00
      night shift, repeated hour, second pass              | 2026-10-25 02:30 +1h   | unavailable | unavailable: calendar 'Nachtdienst' until 04:00
      night shift ends at 04:00 wall clock                 | 2026-10-25 04:00       | unavailable | unavailable: outside hours
      all-day event holds from midnight                    | 2026-11-05 00:00       | unavailable | unavailable: calendar 'Betriebsurlaub' until 2026-11-07 00:00
      all-day event holds in working hours of its 2nd day  | 2026-11-06 10:00       | unavailable | unavailable: calendar 'Betriebsurlaub' until 2026-11-07 00:00
      all-day event over after its last day                | 2026-11-09 10:00       | available   | available: window mon-fri 08:00-18:00
      floating time is the client's time                   | 2026-11-10 09:15       | unavailable | unavailable: calendar 'Sprechstunde' until 10:00
      transparent (free) event does not count              | 2026-11-11 10:30       | available   | available: window mon-fri 08:00-18:00
      private event: busy, title hidden                    | 2026-11-12 09:30       | unavailable | unavailable: calendar 'busy' until 10:00
      cancelled single event does not count                | 2026-11-13 09:30       | available   | available: window mon-fri 08:00-18:00
      public holiday in Bavaria: Allerheiligen (a Sunday)  | 2026-11-01 10:00       | unavailable | unavailable: public holiday 'Allerheiligen'
      public holiday in Bavaria: Fronleichnam              | 2026-06-04 10:00       | unavailable | unavailable: public holiday 'Fronleichnam'
      a working day in Bavaria                             | 2026-06-05 10:00       | available   | available: window mon-fri 08:00-18:00
    """)
    void statusReadsTheCalendarThenHolidaysThenHours(String rule, String at, String status, String why) throws Exception {
        Client c = client("DE-BY", BERLIN);
        StatusTimeline.Reading r = StatusTimeline.at(List.of(), view(c), c.hours(), c.timezone(), berlin(at));

        assertThat(r.status().word()).as("status").isEqualTo(status);
        assertThat(r.why()).isEqualTo(why);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
      DE-BY | 2026-06-04 | Fronleichnam
      DE-HH | 2026-06-04 |
      DE-HH | 2026-10-31 | Reformationstag
      DE-BY | 2026-10-31 |
      DE-NW | 2026-11-01 | Allerheiligen
      AT    | 2026-12-08 | Maria Empfängnis
      GB-ENG| 2026-08-31 | Summer Bank Holiday
    """)
    void publicHolidaysDifferByRegion(String region, String date, String holiday) {
        Client c = client(region, BERLIN);
        CalendarView v = new CalendarViews().view(c, null, FROM, TO, null);

        assertThat(v.holidayOn(java.time.LocalDate.parse(date))).isEqualTo(holiday);
    }

    @Test
    void fronleichnamMakesABavarianClientUnavailableButNotAHamburgOne() throws Exception {
        Instant thursday = berlin("2026-06-04 10:00");
        Client bavaria = client("DE-BY", BERLIN);
        Client hamburg = client("DE-HH", BERLIN);

        assertThat(StatusTimeline.at(List.of(), view(bavaria), HOURS, BERLIN, thursday).why())
                .isEqualTo("unavailable: public holiday 'Fronleichnam'");
        assertThat(StatusTimeline.at(List.of(), view(hamburg), HOURS, BERLIN, thursday).why())
                .isEqualTo("available: window mon-fri 08:00-18:00");
    }

    @Test
    void anOverrideWinsOverTheCalendar() throws Exception {
        Client c = client("DE-BY", BERLIN);
        Instant meeting = berlin("2026-10-05 14:30");
        Override available = new Override(1, c.id(), OverrideKind.AVAILABLE, null, berlin("2026-10-05 14:00"), null,
                "doch erreichbar", "console");

        StatusTimeline.Reading r = StatusTimeline.at(List.of(available), view(c), HOURS, BERLIN, meeting);

        assertThat(r.status().word()).isEqualTo("available");
        assertThat(r.source()).isEqualTo("override");
    }

    @Test
    void aScheduleOverrideHandsBackToTheCalendar() throws Exception {
        Client c = client(null, BERLIN);
        Override schedule = new Override(1, c.id(), OverrideKind.SCHEDULE, null, berlin("2026-10-05 08:00"), null,
                null, "console");

        StatusTimeline.Reading r = StatusTimeline.at(List.of(schedule), view(c), HOURS, BERLIN, berlin("2026-10-05 14:30"));

        assertThat(r.source()).isEqualTo("calendar");
        assertThat(r.until()).isEqualTo(berlin("2026-10-05 15:00"));
        assertThat(r.note()).isEqualTo("Besprechung");
    }

    @Test
    void aFloatingTimeFollowsTheClientsZone() throws Exception {
        ZoneId london = ZoneId.of("Europe/London");
        Client c = client(null, london);
        CalendarView v = view(c);

        assertThat(v.busyAt(Instant.parse("2026-11-10T09:15:00Z")).summary()).isEqualTo("Sprechstunde");
        assertThat(v.busyAt(Instant.parse("2026-11-10T08:15:00Z"))).isNull();
    }

    @Test
    void theHolidayEndsAtTheClientsMidnight() throws Exception {
        Client c = client("DE-BY", BERLIN);
        StatusTimeline.Reading r = StatusTimeline.at(List.of(), view(c), HOURS, BERLIN, berlin("2026-06-04 10:00"));

        assertThat(r.source()).isEqualTo("holiday");
        assertThat(r.until()).isEqualTo(berlin("2026-06-05 00:00"));
    }

    @Test
    void outsideItsWindowTheCalendarIsNotGuessed() throws Exception {
        Client c = client(null, BERLIN);
        CalendarView v = view(c);

        assertThat(v.covers(Instant.parse("2027-02-01T00:00:00Z"))).isFalse();
        assertThat(v.busyAt(Instant.parse("2027-02-01T00:00:00Z"))).isNull();
    }
}
