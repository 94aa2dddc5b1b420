package de.vorzimmer.bench;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.HolidayRegion;
import de.vorzimmer.calendar.CalendarException;
import de.vorzimmer.calendar.Expansion;
import de.vorzimmer.calendar.IcsParser;
import de.vorzimmer.calendar.PublicHolidays;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.CalendarView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Router#decide} with calendars beside the same decisions without (today's figure), in one run: the
 * 10,000-client {@link BenchBook}, each client with a year of weekly events ({@link CalendarFeeds}: three recurring
 * series with exceptions and 52 single events, parsed and expanded in the set-up for the window the calls fall
 * into) and the public holidays of Bavaria. A decision reads a view (binary search), it never expands.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class CalendarRoutingBenchmark {
    private static final int CALLS = 1 << 12;
    /** The window the views are expanded for: the week BenchBook's calls come in, with a day before and a month after. */
    static final Instant FROM = Instant.parse("2025-03-09T00:00:00Z");
    static final Instant TO = Instant.parse("2025-04-14T00:00:00Z");

    private RoutingSnapshot plain;
    private RoutingSnapshot withCalendars;
    private Call[] calls;
    private Instant[] at;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws CalendarException {
        BenchBook generated = BenchBook.generate();
        plain = generated.snapshot();
        withCalendars = plain.withCalendars(views(generated.book.clients()));
        List<BenchBook.TimedCall> a = generated.calls(CALLS, 7, false);
        calls = BenchBook.TimedCall.calls(a);
        at = BenchBook.TimedCall.instants(a);
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
        int i = next++ & (CALLS - 1);
        return Router.decide(withCalendars, calls[i], at[i]);
    }

    @Benchmark
    public Decision decideWithoutCalendars() {
        int i = next++ & (CALLS - 1);
        return Router.decide(plain, calls[i], at[i]);
    }
}
