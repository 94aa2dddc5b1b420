package de.vorzimmer.status;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a client's calendar and public holidays say, as the status timeline reads them: the busy events of a
 * bounded window, already expanded (recurrences, exceptions, time zones), and the public holidays by local date.
 * Immutable; a lookup is a binary search, never a recurrence expansion. Built by the {@code calendar} feature.
 *
 * <p>Outside {@link #from()}..{@link #to()} the calendar is not known: {@link #busyAt} answers null there and
 * {@link #covers} false, so a reading far from the time the view was made says so instead of guessing.
 */
public final class CalendarView {
    /** A client without a calendar and without holidays. */
    public static final CalendarView NONE = new CalendarView(null, null, List.of(), Map.of(), null);

    /**
     * One busy event.
     *
     * @param summary   the event's title as the calendar has it (null if it has none)
     * @param hidden    private or confidential: only "busy" is shown
     * @param start     inclusive
     * @param end       exclusive
     */
    public record Busy(String summary, boolean hidden, Instant start, Instant end) {
        public Busy {
            Objects.requireNonNull(start, "start == null");
            Objects.requireNonNull(end, "end == null");
            if (!end.isAfter(start)) throw new IllegalArgumentException("busy end " + end + " not after start " + start);
        }

        /** What the secretary and the why line may show: the summary, or {@code busy} for a private event. */
        public String note() {
            return hidden || summary == null || summary.isBlank() ? "busy" : summary;
        }
    }

    private final Instant from;
    private final Instant to;
    private final Busy[] events;
    private final long[] starts;
    /** maxEnds[i]: the latest end among events[0..i], so a search can stop early. */
    private final long[] maxEnds;
    private final Map<LocalDate, String> holidays;
    private final Instant staleSince;

    /**
     * @param from       start of the window the busy events are complete for (null: no calendar)
     * @param to         its end
     * @param busy       the busy events touching the window, any order
     * @param holidays   public holiday names by local date (may be shared between views)
     * @param staleSince since when fetching the calendar fails (the events are the last good copy), or null
     */
    public CalendarView(Instant from, Instant to, List<Busy> busy, Map<LocalDate, String> holidays, Instant staleSince) {
        if ((from == null) != (to == null)) throw new IllegalArgumentException("give both ends of the window or none");
        if (from != null && to.isBefore(from)) throw new IllegalArgumentException("window ends " + to + " before " + from);
        this.from = from;
        this.to = to;
        this.events = busy.toArray(new Busy[0]);
        Arrays.sort(events, (a, b) -> a.start().compareTo(b.start()));
        this.starts = new long[events.length];
        this.maxEnds = new long[events.length];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < events.length; i++) {
            starts[i] = events[i].start().toEpochMilli();
            max = Math.max(max, events[i].end().toEpochMilli());
            maxEnds[i] = max;
        }
        this.holidays = Objects.requireNonNull(holidays, "holidays == null");
        this.staleSince = staleSince;
    }

    /**
     * The busy event covering {@code t}; of several, the one that started last (the meeting inside the
     * conference day). Null if none, or if {@code t} is outside the window.
     */
    public Busy busyAt(Instant t) {
        if (!covers(t)) return null;
        long m = t.toEpochMilli();
        int i = upperBound(m) - 1;
        for (; i >= 0 && maxEnds[i] > m; i--) {
            if (events[i].end().toEpochMilli() > m) return events[i];
        }
        return null;
    }

    /** The public holiday on a local date, or null. */
    public String holidayOn(LocalDate date) {
        return holidays.get(date);
    }

    /** True if the calendar's busy events are known at {@code t} (always false without a calendar). */
    public boolean covers(Instant t) {
        return from != null && !t.isBefore(from) && t.isBefore(to);
    }

    public boolean hasCalendar() {
        return from != null;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public Instant staleSince() {
        return staleSince;
    }

    /** The busy events overlapping [{@code start}, {@code end}), by start. */
    public List<Busy> busyBetween(Instant start, Instant end) {
        long s = start.toEpochMilli();
        long e = end.toEpochMilli();
        int hi = upperBound(e - 1);
        List<Busy> out = new ArrayList<>();
        for (int i = 0; i < hi; i++) {
            if (events[i].end().toEpochMilli() > s) out.add(events[i]);
        }
        return out;
    }

    /** The holidays of this view by date (an unmodifiable map). */
    public Map<LocalDate, String> holidays() {
        return holidays;
    }

    public int size() {
        return events.length;
    }

    /** The first index whose start is after {@code m}. */
    private int upperBound(long m) {
        int lo = 0;
        int hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= m) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
