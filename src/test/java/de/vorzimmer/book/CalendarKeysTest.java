package de.vorzimmer.book;

import static de.vorzimmer.book.Books.load;
import static de.vorzimmer.book.Books.oneClient;
import static de.vorzimmer.book.Books.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client keys {@code calendar: {url, book-into}} and {@code holidays: REGION}. */
class CalendarKeysTest {

    @Test
    void calendarAndHolidaysAreRead() {
        Client c = load(oneClient("""
                    holidays: de-by
                    calendar: { url: "https://cal.example.de/dav/solo/praxis/", book-into: true }
                """)).clients().get(0);

        assertThat(c.holidays()).isEqualTo(new HolidayRegion("DE-BY"));
        assertThat(c.calendar()).isEqualTo(new CalendarSource("https://cal.example.de/dav/solo/praxis/", true));
        assertThat(c.calendar().kind()).isEqualTo(CalendarSource.Kind.CALDAV);
    }

    @ParameterizedTest(name = "{0} is a {1}")
    @CsvSource({
        "https://example.com/cal/basic.ics, FEED, https://example.com/cal/basic.ics",
        "webcal://example.com/cal/basic.ics, FEED, https://example.com/cal/basic.ics",
        "https://dav.example.com/u/cal/, CALDAV, https://dav.example.com/u/cal/",
        "/var/lib/vorzimmer/solo.ics, FILE, /var/lib/vorzimmer/solo.ics",
        "file:///var/lib/vorzimmer/solo.ics, FILE, file:///var/lib/vorzimmer/solo.ics"})
    void theUrlSaysHowTheCalendarIsFetched(String url, CalendarSource.Kind kind, String fetched) {
        CalendarSource s = new CalendarSource(url, false);

        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.fetchUrl()).isEqualTo(fetched);
    }

    @Test
    void anUnknownRegionIsAProblemWithItsLineAndTheKnownOnes() {
        List<BookProblem> p = problems(oneClient("    holidays: DE-XX\n"));

        assertThat(p).hasSize(1);
        assertThat(p.get(0).toString()).startsWith("client 'solo': holidays = 'DE-XX': no subdivision DE-XX; known: DE-BB, DE-BE, DE-BW, DE-BY")
                .endsWith("(line 6)");
    }

    @Test
    void aCountryWithoutHolidaysIsAProblem() {
        assertThat(problems(oneClient("    holidays: QQ\n")).get(0).why()).startsWith("no public holidays known for country QQ");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        List<BookProblem> p = problems(oneClient("    calendar: { url: \"https://anna:geheim@dav.example.de/anna/cal/\" }\n"));

        assertThat(p).hasSize(1);
        assertThat(p.get(0).toString()).doesNotContain("geheim").contains("calendar.url")
                .contains("calendar.credentials.CLIENT.user").contains("(line 6)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      book-into a feed            | { url: "https://example.com/a.ics", book-into: true }      | book-into needs a CalDAV calendar
      book-into a file            | { url: /tmp/a.ics, book-into: true }                        | book-into needs a CalDAV calendar
      ftp                         | { url: "ftp://example.com/a.ics" }                           | expected http(s)://, webcal:// or a file path
      no host                     | { url: "https:///a.ics" }                                    | has no host
      no url                      | { book-into: true }                                          | is required
      unknown key                 | { url: /tmp/a.ics, refresh: 5m }                             | unknown key 'refresh' (line 6)
      book-into not a boolean     | { url: "https://dav.example.de/c/", book-into: ja }          | expected true or false
      """)
    void aBadCalendarIsAProblem(String rule, String value, String why) {
        List<BookProblem> p = problems(oneClient("    calendar: " + value + "\n"));

        assertThat(p).as(rule).hasSize(1);
        assertThat(p.get(0).toString()).as(rule).contains(why);
    }

    @Test
    void exportWritesBothKeysAndReadsThemBack() {
        Book book = load(oneClient("""
                    holidays: AT-9
                    calendar: { url: "webcal://example.com/solo.ics" }
                """));
        String yaml = BookWriter.write(book);

        assertThat(yaml).contains("    holidays: \"AT-9\"\n").contains("    calendar: { url: \"webcal://example.com/solo.ics\" }\n");
        assertThat(load(yaml)).isEqualTo(book);
    }
}
