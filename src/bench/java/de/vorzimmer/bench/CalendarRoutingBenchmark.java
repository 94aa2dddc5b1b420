package de.vorzimmer.bench;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.HolidayRegion;
import de.vorzimmer.calendar.CalendarException;
import de.vorzimmer.calendar.Expansion;
import de.vorzimmer.calendar.IcsParser;
import de.vorzimmer.calendar.PublicHolidays;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.CalendarView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link Router#decide} with calendars beside the same decisions without (today's figure), in one run: the
 * 10,000-client {@link BenchBook}, each client with a year of weekly events ({@link CalendarFeeds}: three recurring
 * series with exceptions and 52 single events, parsed and expanded in the set-up for the window the calls fall
 * into) and the public holidays of Bavaria. A decision reads a view (binary search), it never expands.
 */
public class CalendarRoutingBenchmark extends PerCallBenchmark {
    private static final int CALLS = 1 << 12;
    /** The window the views are expanded for: the week BenchBook's calls come in, with a day before and a month after. */
    static final Instant FROM = Instant.parse("2025-03-09T00:00:00Z");
    static final Instant TO = Instant.parse("2025-04-14T00:00:00Z");

    private RoutingSnapshot plain;
    private RoutingSnapshot withCalendars;
    private CallRing calls;

    @Setup(Level.Trial)
    public void setUp() throws CalendarException {
        BenchBook generated = BenchBook.generate();
        plain = generated.snapshot();
        withCalendars = plain.withCalendars(views(generated.book.clients()));
        calls = new CallRing(generated.calls(CALLS, 7, false));
    }

    static Map<String, CalendarView> views(List<Client> clients) throws CalendarException {
        Map<LocalDate, String> holidays = PublicHolidays.between(HolidayRegion.parse("DE-BY"), LocalDate.of(2025, 3, 1),
                LocalDate.of(2025, 4, 30), "de");
        Map<String, CalendarView> out = new HashMap<>(clients.size() * 2);
        LocalDate first = LocalDate.of(2025, 1, 6);
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            List<CalendarView.Busy> busy = Expansion.busy(IcsParser.parse(CalendarFeeds.feed(i, first)), c.timezone(), FROM, TO);
            out.put(c.id(), new CalendarView(FROM, TO, busy, holidays, null));
        }
        return Map.copyOf(out);
    }

    @Benchmark
    public Decision decideWithCalendars() {
        return calls.decide(withCalendars);
    }

    @Benchmark
    public Decision decideWithoutCalendars() {
        return calls.decide(plain);
    }
}
