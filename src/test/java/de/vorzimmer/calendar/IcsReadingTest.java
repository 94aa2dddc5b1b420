package de.vorzimmer.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.status.CalendarView;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading iCalendar text as calendar programs write it, and refusing what is not a calendar with the line. */
class IcsReadingTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

    static List<CalendarView.Busy> busy(String... lines) throws CalendarException {
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + String.join("\r\n", lines)
                + "\r\nEND:VCALENDAR\r\n";
        return Expansion.busy(IcsParser.parse(ics), BERLIN, FROM, TO);
    }

    static String event(String start, String end, String... more) {
        return "BEGIN:VEVENT\r\nUID:x@test\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:Termin\\, wichtig\r\n" + start + "\r\n" + end
                + (more.length == 0 ? "" : "\r\n" + String.join("\r\n", more)) + "\r\nEND:VEVENT";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      IANA name                         | DTSTART;TZID=Europe/Berlin:20261207T100000                                    | 2026-12-07T09:00:00Z
      vendor prefix (Thunderbird)       | DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20261207T100000          | 2026-12-07T09:00:00Z
      Windows name (Outlook)            | DTSTART;TZID="W. Europe Standard Time":20261207T100000                      | 2026-12-07T09:00:00Z
      UTC                               | DTSTART:20261207T100000Z                                                      | 2026-12-07T10:00:00Z
      floating: the client's zone       | DTSTART:20261207T100000                                                       | 2026-12-07T09:00:00Z
      New York                          | DTSTART;TZID=America/New_York:20261207T100000                                 | 2026-12-07T15:00:00Z
      """)
    void aTimeIsReadInItsZone(String rule, String start, String instant) throws Exception {
        List<CalendarView.Busy> b = busy(event(start, "DURATION:PT1H"));

        assertThat(b).hasSize(1);
        assertThat(b.get(0).start()).isEqualTo(Instant.parse(instant));
        assertThat(b.get(0).summary()).isEqualTo("Termin, wichtig");
    }

    @Test
    void aZoneOnlyTheFeedDefinesIsReadFromItsVtimezone() throws Exception {
        List<CalendarView.Busy> b = busy("BEGIN:VTIMEZONE", "TZID:Praxiszeit", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0300", "TZOFFSETTO:+0300", "END:STANDARD", "END:VTIMEZONE",
                event("DTSTART;TZID=Praxiszeit:20261207T100000", "DTEND;TZID=Praxiszeit:20261207T110000"));

        assertThat(b.get(0).start()).isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
        assertThat(b.get(0).end()).isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
    }

    @Test
    void anUnknownZoneIsAnErrorWithItsLine() {
        CalendarException e = assertThrows(CalendarException.class,
                () -> busy(event("DTSTART;TZID=Mars/Olympus:20261207T100000", "DURATION:PT1H")));

        assertThat(e.getMessage()).isEqualTo("VEVENT 'Termin, wichtig' (line 4): DTSTART '20261207T100000' (line 8): "
                + "unknown time zone TZID=Mars/Olympus (neither an IANA name nor defined by a VTIMEZONE in the feed)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      an HTML page   | <!DOCTYPE html><html><body>Login</body></html>                  | not iCalendar: the text starts with '<' (an HTML or XML page, perhaps a login page) instead of BEGIN:VCALENDAR
      empty          | ''                                                              | not iCalendar: the text is empty
      plain text     | Service unavailable                                             | not readable as iCalendar: line 1:
      """)
    void whatIsNoCalendarIsRefusedClearly(String rule, String text, String why) {
        CalendarException e = assertThrows(CalendarException.class, () -> IcsParser.parse(text));

        assertThat(e.getMessage()).startsWith(why);
    }

    @Test
    void anUnclosedEventNamesTheLine() {
        CalendarException e = assertThrows(CalendarException.class, () -> IcsParser.parse(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261207T100000Z\r\nEND:VCALENDAR\r\n"));

        assertThat(e.getMessage()).startsWith("not readable as iCalendar: line 6:");
    }

    @Test
    void aRecurrenceBombIsRefused() {
        CalendarException e = assertThrows(CalendarException.class,
                () -> busy(event("DTSTART:20261201T000000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY")));

        assertThat(e.getMessage()).contains("RRULE 'FREQ=SECONDLY'").contains("repeats more than 10000 times in the window");
    }

    @Test
    void untilInUtcEndsAWeeklySeriesInItsOwnZone() throws Exception {
        List<CalendarView.Busy> b = busy(event("DTSTART;TZID=Europe/Berlin:20261207T100000", "DURATION:PT1H",
                "RRULE:FREQ=WEEKLY;UNTIL=20261221T090000Z"));

        assertThat(b).extracting(CalendarView.Busy::start).containsExactlyInAnyOrder(Instant.parse("2026-12-07T09:00:00Z"),
                Instant.parse("2026-12-14T09:00:00Z"), Instant.parse("2026-12-21T09:00:00Z"));
    }

    @Test
    void severalCalendarsInOneTextAreReadInTurn() throws Exception {
        String one = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + event("DTSTART:20261207T100000Z", "DURATION:PT1H") + "\r\nEND:VCALENDAR";
        String two = one.replace("UID:x@test", "UID:y@test").replace("20261207T", "20261208T");

        IcsFeed feed = IcsParser.parse(one + "\r\n" + two + "\r\n");

        assertThat(feed.events()).extracting(IcsFeed.Event::uid).containsExactly("x@test", "y@test");
    }
}
