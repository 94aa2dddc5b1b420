package de.vorzimmer.console;

import de.vorzimmer.book.Window;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.Status;
import de.vorzimmer.status.StatusTimeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A client's line on the board: its status now, and when and to what it next changes. Pure: time is a parameter.
 * The next change is found by evaluating {@link StatusTimeline} at every instant where the answer can change
 * (an override starting or ending, a window opening or closing) within {@link #HORIZON}.
 */
public final class BoardStatus {
    /** How far ahead the next change is looked for; a client with no change within it shows none. */
    public static final Duration HORIZON = Duration.ofDays(8);

    private BoardStatus() {
    }

    /**
     * @param now        status now and what decided it
     * @param nextStatus the status after the next change, or null if none within the horizon
     * @param nextAt     when that change happens, or null
     */
    public record Line(StatusTimeline.Reading now, Status nextStatus, Instant nextAt) {
        public Line {
            Objects.requireNonNull(now, "now == null");
        }
    }

    public static Line at(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t) {
        return at(overrides, CalendarView.NONE, hours, zone, t);
    }

    /** As {@link #at(List, List, ZoneId, Instant)}, with the client's calendar and public holidays. */
    public static Line at(List<Override> overrides, CalendarView calendar, List<Window> hours, ZoneId zone, Instant t) {
        StatusTimeline.Reading now = StatusTimeline.at(overrides, calendar, hours, zone, t);
        Instant end = t.plus(HORIZON);
        TreeSet<Instant> candidates = candidates(overrides, hours, zone, t, end);
        for (CalendarView.Busy b : calendar.busyBetween(t, end)) {
            add(candidates, b.start(), t, end);
            add(candidates, b.end(), t, end);
        }
        LocalDate last = LocalDateTime.ofInstant(end, zone).toLocalDate();
        for (LocalDate d = LocalDateTime.ofInstant(t, zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            if (calendar.holidayOn(d) != null) {
                add(candidates, d.atStartOfDay(zone).toInstant(), t, end);
                add(candidates, d.plusDays(1).atStartOfDay(zone).toInstant(), t, end);
            }
        }
        for (Instant c : candidates) {
            Status s = StatusTimeline.at(overrides, calendar, hours, zone, c).status();
            if (s != now.status()) return new Line(now, s, c);
        }
        return new Line(now, null, null);
    }

    /** Every instant in (t, end] at which the status can change, in order. */
    static TreeSet<Instant> candidates(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t,
                                       Instant end) {
        TreeSet<Instant> out = new TreeSet<>();
        for (Override o : overrides) {
            if (o.kind() == OverrideKind.EXPECT) continue;
            add(out, o.setAt(), t, end);
            if (o.until() != null) add(out, o.until(), t, end);
        }
        LocalDate first = LocalDateTime.ofInstant(t, zone).toLocalDate().minusDays(1);
        LocalDate last = LocalDateTime.ofInstant(end, zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (Window w : hours) {
                add(out, instant(d, w.from(), zone), t, end);
                add(out, instant(d, w.to(), zone), t, end);
            }
        }
        return out;
    }

    /** The instant of minute-of-day {@code minutes} (up to 1440) on date {@code d}; gaps resolve forward. */
    private static Instant instant(LocalDate d, int minutes, ZoneId zone) {
        LocalDateTime local = minutes >= Window.END_OF_DAY ? d.plusDays(1).atStartOfDay()
                : d.atTime(LocalTime.of(minutes / 60, minutes % 60));
        return local.atZone(zone).toInstant();
    }

    private static void add(TreeSet<Instant> out, Instant c, Instant t, Instant end) {
        if (c.isAfter(t) && !c.isAfter(end)) out.add(c);
    }
}
