package de.vorzimmer.calendar;

import de.vorzimmer.status.CalendarView.Busy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Recur;

/**
 * Expands a feed's events into the busy intervals of one window, as a calendar program shows them: recurrences
 * (RRULE, RDATE) without the excluded dates (EXDATE) and with moved or cancelled single occurrences
 * (RECURRENCE-ID), each time in its own zone (TZID, UTC), floating times and all-day dates in the client's zone,
 * cancelled and transparent (free) events left out, private and confidential ones marked hidden. Pure.
 *
 * <p>Recurrence arithmetic is done on wall-clock times ({@code 10:00 every Monday} stays 10:00 across a DST
 * change) with ical4j's {@link Recur}; each occurrence becomes an instant only at the end. A time in a
 * spring-forward gap moves forward by the gap's length, one in the repeated autumn hour takes the earlier pass.
 */
public final class Expansion {
    /** Most occurrences of one event inside a window; an event beyond it (FREQ=MINUTELY...) refuses the feed. */
    public static final int MAX_OCCURRENCES = 10_000;
    /** Most busy intervals of one feed inside a window. */
    public static final int MAX_BUSY = 200_000;

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final Pattern DUR = Pattern.compile(
            "([+-])?P(?:(\\d+)W)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?");
    private static final Pattern UNTIL = Pattern.compile("(?i)(^|;)UNTIL=([^;]*)");

    private Expansion() {
    }

    /**
     * @param clientZone zone of floating times and all-day dates
     * @param from       window start, inclusive
     * @param to         window end, exclusive
     * @return the busy intervals overlapping the window, unsorted
     * @throws CalendarException naming the event and line of a property that cannot be read
     */
    public static List<Busy> busy(IcsFeed feed, ZoneId clientZone, Instant from, Instant to) throws CalendarException {
        Map<String, IcsFeed.Event> masters = new LinkedHashMap<>();
        List<IcsFeed.Event> standalone = new ArrayList<>();
        Map<String, List<IcsFeed.Event>> overrides = new HashMap<>();
        for (IcsFeed.Event e : feed.events()) {
            if (e.start() == null) throw new CalendarException(e.describe() + ": has no DTSTART");
            if (e.uid() == null) {
                standalone.add(e);
            } else if (e.recurrenceId() != null) {
                overrides.computeIfAbsent(e.uid(), k -> new ArrayList<>()).add(e);
            } else if (masters.putIfAbsent(e.uid(), e) != null) {
                standalone.add(e);
            }
        }
        Context cx = new Context(feed.timezones(), clientZone, from, to);
        for (IcsFeed.Event master : masters.values()) {
            List<IcsFeed.Event> moved = overrides.remove(master.uid());
            if ("CANCELLED".equals(master.status())) continue;
            Set<Long> replaced = new HashSet<>();
            if (moved != null) {
                for (IcsFeed.Event o : moved) {
                    replaced.add(key(cx.stamp(o.recurrenceId(), o, master.start())));
                    cx.add(o, null);
                }
            }
            cx.add(master, replaced);
        }
        for (List<IcsFeed.Event> orphans : overrides.values()) {
            for (IcsFeed.Event o : orphans) cx.add(o, null);
        }
        for (IcsFeed.Event e : standalone) cx.add(e, null);
        return cx.out;
    }

    /** A date or date-time as written, placed in a zone (floating and dates: the client's). */
    private record Stamp(LocalDateTime local, ZoneId zone, boolean date) {
        Instant instant() {
            return local.atZone(zone).toInstant();
        }
    }

    /** Occurrences are matched by their start: the instant, or for dates the day. */
    private static long key(Stamp s) {
        return s.date() ? s.local().toLocalDate().toEpochDay() : s.instant().toEpochMilli() * 2 + 1;
    }

    private static final class Context {
        final Map<String, String> timezones;
        final ZoneId clientZone;
        final Instant from;
        final Instant to;
        final List<Busy> out = new ArrayList<>();

        Context(Map<String, String> timezones, ZoneId clientZone, Instant from, Instant to) {
            this.timezones = timezones;
            this.clientZone = clientZone;
            this.from = from;
            this.to = to;
        }

        /** Adds the busy occurrences of one event; {@code replaced} holds occurrences given by overrides. */
        void add(IcsFeed.Event e, Set<Long> replaced) throws CalendarException {
            if ("CANCELLED".equals(e.status()) || "TRANSPARENT".equals(e.transp())) return;
            Stamp start = stamp(e.start(), e, null);
            Length length = length(e, start);
            if (length.isEmpty()) return;
            boolean hidden = "PRIVATE".equals(e.classification()) || "CONFIDENTIAL".equals(e.classification());
            List<Stamp> starts = occurrences(e, start, length);
            Set<Long> excluded = new HashSet<>();
            if (replaced != null) excluded.addAll(replaced);
            for (IcsFeed.Property x : e.exdates()) {
                for (String v : x.value().split(",")) {
                    if (!v.isBlank()) excluded.add(key(stamp(x, v.strip(), e, start)));
                }
            }
            for (Stamp s : starts) {
                if (excluded.contains(key(s))) continue;
                Instant a = s.instant();
                Instant b = length.end(s);
                if (!b.isAfter(a) || !b.isAfter(from) || !a.isBefore(to)) continue;
                if (out.size() >= MAX_BUSY) {
                    throw new CalendarException("more than " + MAX_BUSY + " busy events in the window; refused");
                }
                out.add(new Busy(e.summary(), hidden, a, b));
            }
        }

        /** DTSTART and, within the window, every RRULE and RDATE occurrence; duplicates removed. */
        private List<Stamp> occurrences(IcsFeed.Event e, Stamp start, Length length) throws CalendarException {
            List<Stamp> out = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            add(out, seen, start);
            // the window in the event's wall-clock time, widened by the event's length and a day for zone shifts
            LocalDateTime lo = LocalDateTime.ofInstant(from, start.zone()).minus(length.upperBound()).minusDays(1);
            LocalDateTime hi = LocalDateTime.ofInstant(to, start.zone()).plusDays(1);
            for (IcsFeed.Property rule : e.rrules()) {
                String text = untilAsStart(rule, e, start);
                List<?> dates;
                try {
                    if (start.date()) {
                        Recur<LocalDate> r = new Recur<>(text);
                        dates = r.getDates(start.local().toLocalDate(), lo.toLocalDate(), hi.toLocalDate(),
                                MAX_OCCURRENCES + 1);
                    } else {
                        Recur<LocalDateTime> r = new Recur<>(text);
                        dates = r.getDates(start.local(), lo, hi, MAX_OCCURRENCES + 1);
                    }
                } catch (RuntimeException x) {
                    throw new CalendarException(e.describe() + ": RRULE '" + rule.value() + "' (line " + rule.line()
                            + ") cannot be read: " + x.getMessage());
                }
                if (dates.size() > MAX_OCCURRENCES) {
                    throw new CalendarException(e.describe() + ": RRULE '" + rule.value() + "' (line " + rule.line()
                            + ") repeats more than " + MAX_OCCURRENCES + " times in the window; refused");
                }
                for (Object d : dates) {
                    LocalDateTime local = d instanceof LocalDate ld ? ld.atStartOfDay() : (LocalDateTime) d;
                    add(out, seen, new Stamp(local, start.zone(), start.date()));
                }
            }
            for (IcsFeed.Property r : e.rdates()) {
                if ("PERIOD".equalsIgnoreCase(r.param("VALUE"))) {
                    // explicit periods are rare in busy calendars; their start counts with the event's length
                    for (String v : r.value().split(",")) {
                        if (!v.isBlank()) add(out, seen, stamp(r, v.strip().split("/")[0], e, start));
                    }
                    continue;
                }
                for (String v : r.value().split(",")) {
                    if (!v.isBlank()) add(out, seen, stamp(r, v.strip(), e, start));
                }
            }
            return out;
        }

        private static void add(List<Stamp> out, Set<Long> seen, Stamp s) {
            if (seen.add(key(s))) out.add(s);
        }

        /**
         * The RRULE with its UNTIL written in the same form as DTSTART (ical4j compares like with like): a UTC
         * UNTIL becomes the event's wall-clock time, a date-time UNTIL of an all-day event its date.
         */
        private String untilAsStart(IcsFeed.Property rule, IcsFeed.Event e, Stamp start) throws CalendarException {
            Matcher m = UNTIL.matcher(rule.value());
            if (!m.find()) return rule.value();
            Stamp until = stamp(rule, m.group(2).strip(), e, start);
            LocalDateTime local = LocalDateTime.ofInstant(until.instant(), start.zone());
            String written = start.date() ? DATE.format(until.date() ? until.local() : local)
                    : DATE_TIME.format(until.date() ? until.local().toLocalDate().atTime(23, 59, 59) : local);
            return m.replaceFirst(m.group(1) + "UNTIL=" + written);
        }

        Stamp stamp(IcsFeed.Property p, IcsFeed.Event e, IcsFeed.Property reference) throws CalendarException {
            if (p == null) throw new CalendarException(e.describe() + ": missing date");
            Stamp ref = reference == null ? null : stamp(reference, e, null);
            return stamp(p, p.value().strip(), e, ref);
        }

        /** One value of a date property; {@code reference} gives the zone of a value without one (EXDATE). */
        Stamp stamp(IcsFeed.Property p, String value, IcsFeed.Event e, Stamp reference) throws CalendarException {
            String where = e.describe() + ": " + p.name() + " '" + value + "' (line " + p.line() + ")";
            try {
                if (value.length() == 8 || "DATE".equalsIgnoreCase(p.param("VALUE"))) {
                    LocalDate d = LocalDate.parse(value.length() > 8 ? value.substring(0, 8) : value, DATE);
                    return new Stamp(d.atStartOfDay(), clientZone, true);
                }
                if (value.endsWith("Z") || value.endsWith("z")) {
                    return new Stamp(LocalDateTime.parse(value.substring(0, value.length() - 1), DATE_TIME),
                            ZoneOffset.UTC, false);
                }
                LocalDateTime local = LocalDateTime.parse(value, DATE_TIME);
                String tzid = p.param("TZID");
                if (tzid != null) return new Stamp(local, TimeZones.require(tzid, timezones, where), false);
                // floating: the client's time; an EXDATE or UNTIL without zone goes with its event's zone
                return new Stamp(local, reference != null && !reference.date() ? reference.zone() : clientZone, false);
            } catch (DateTimeParseException x) {
                throw new CalendarException(where + ": not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])");
            }
        }

        /** How long each occurrence lasts: DTEND - DTSTART, DURATION, a day for a date, nothing for a moment. */
        private Length length(IcsFeed.Event e, Stamp start) throws CalendarException {
            if (e.end() != null) {
                Stamp end = stamp(e.end(), e.end().value().strip(), e, start);
                if (start.date()) {
                    long days = ChronoUnit.DAYS.between(start.local().toLocalDate(), end.local().toLocalDate());
                    return new Length((int) Math.max(0, days), Duration.ZERO);
                }
                if (end.zone().equals(start.zone()) && !end.date()) {
                    return Length.wallClock(Duration.between(start.local(), end.local()));
                }
                return new Length(0, Duration.between(start.instant(), end.instant()));
            }
            if (e.duration() != null) return duration(e, e.duration());
            return start.date() ? new Length(1, Duration.ZERO) : new Length(0, Duration.ZERO);
        }

        private static Length duration(IcsFeed.Event e, IcsFeed.Property p) throws CalendarException {
            Matcher m = DUR.matcher(p.value().strip());
            if (!m.matches() || p.value().strip().equals("P") || p.value().strip().endsWith("T")) {
                throw new CalendarException(e.describe() + ": DURATION '" + p.value() + "' (line " + p.line()
                        + "): not a duration such as PT1H, P1D or P1W");
            }
            if ("-".equals(m.group(1))) return new Length(0, Duration.ZERO);
            int days = num(m.group(2)) * 7 + num(m.group(3));
            Duration time = Duration.ofHours(num(m.group(4))).plusMinutes(num(m.group(5))).plusSeconds(num(m.group(6)));
            return new Length(days, time);
        }

        private static int num(String s) {
            return s == null ? 0 : Integer.parseInt(s);
        }
    }

    /**
     * An occurrence's length: whole days on the calendar (a day is 23 or 25 hours across a DST change) plus exact
     * time; or, for DTEND in the start's zone, a wall-clock difference.
     */
    private record Length(int days, Duration time, boolean wallClock) {
        Length(int days, Duration time) {
            this(days, time, false);
        }

        static Length wallClock(Duration d) {
            return new Length(0, d, true);
        }

        boolean isEmpty() {
            return days <= 0 && (time.isZero() || time.isNegative());
        }

        Instant end(Stamp s) {
            if (wallClock) return s.local().plus(time).atZone(s.zone()).toInstant();
            Instant dayEnd = s.local().plusDays(days).atZone(s.zone()).toInstant();
            return dayEnd.plus(time);
        }

        Duration upperBound() {
            return Duration.ofDays(days + 1L).plus(time.isNegative() ? Duration.ZERO : time);
        }
    }
}
