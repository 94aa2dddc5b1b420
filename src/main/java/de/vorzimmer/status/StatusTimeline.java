package de.vorzimmer.status;

import de.vorzimmer.book.Status;

import de.vorzimmer.book.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Works out a client's status at an instant from its overrides, calendar, public holidays and weekly hours, as the
 * design fixes it: the newest override active at {@code t} decides; else a busy calendar event makes the client
 * unavailable; else a public holiday on {@code t}'s local date; else available inside a window, else unavailable.
 * Pure: no clock, no I/O.
 */
public final class StatusTimeline {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private StatusTimeline() {
    }

    /**
     * What decided a status: the override (null if it did not decide), the calendar event or the public holiday
     * (null unless it decided), the window (null if none held).
     *
     * @param zone the client's zone, for the local times in {@link #why()}
     * @param at   the instant read
     */
    public record Reading(Status status, Override override, Window window, CalendarView.Busy busy,
                          String holiday, ZoneId zone, Instant at) {
        /** A reading made by an override or the weekly hours. */
        public Reading(Status status, Override override, Window window) {
            this(status, override, window, null, null, null, null);
        }

        public String why() {
            if (override != null && override.kind() != OverrideKind.SCHEDULE) {
                StringBuilder sb = new StringBuilder(64).append(status.word()).append(": override ")
                        .append(override.kind().word()).append(" set ").append(override.setAt());
                if (override.until() != null) sb.append(" until ").append(override.until());
                if (override.note() != null && !override.note().isBlank()) {
                    sb.append(" (").append(override.note()).append(')');
                }
                return sb.toString();
            }
            if (busy != null) {
                return status.word() + ": calendar '" + busy.note() + "' until " + local(busy.end());
            }
            if (holiday != null) return status.word() + ": public holiday '" + holiday + "'";
            if (window != null) return status.word() + ": window " + window;
            return status.word() + ": outside hours";
        }

        /** What decided: {@code override}, {@code calendar}, {@code holiday} or {@code hours}. */
        public String source() {
            if (override != null && override.kind() != OverrideKind.SCHEDULE) return "override";
            if (busy != null) return "calendar";
            if (holiday != null) return "holiday";
            return "hours";
        }

        /** The note to show: the override's, the event's summary ({@code busy} if private), the holiday's name. */
        public String note() {
            if (override != null && override.kind() != OverrideKind.SCHEDULE) return override.note();
            if (busy != null) return busy.note();
            return holiday;
        }

        /** When this status ends by itself: an override's end, a busy event's end, the day after the holiday. */
        public Instant until() {
            if (override != null && override.kind() != OverrideKind.SCHEDULE) return override.until();
            if (busy != null) return busy.end();
            if (holiday != null) return LocalDateTime.ofInstant(at, zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            return override == null ? null : override.until();
        }

        /** {@code 15:00} on the day read, else {@code 2026-11-03 15:00}, in the client's zone. */
        private String local(Instant t) {
            LocalDateTime end = LocalDateTime.ofInstant(t, zone);
            LocalDate day = LocalDateTime.ofInstant(at, zone).toLocalDate();
            return (end.toLocalDate().equals(day) ? HOUR : DAY_HOUR).format(end);
        }
    }

    /** How far ahead {@link #outlook} looks for the next change; a client with no change within it shows none. */
    public static final Duration HORIZON = Duration.ofDays(8);

    /**
     * A client's status now and when and to what it next changes.
     *
     * @param now        status now and what decided it
     * @param nextStatus the status after the next change, or null if none within {@link #HORIZON}
     * @param nextAt     when that change happens, or null
     */
    public record Outlook(Reading now, Status nextStatus, Instant nextAt) {
        public Outlook {
            Objects.requireNonNull(now, "now == null");
        }
    }

    /**
     * The status at {@code t} and its next change. Found by evaluating {@link #at} at every instant where the answer
     * can change (an override starting or ending, a window opening or closing) within {@link #HORIZON}: exact to the
     * millisecond, and a handful of evaluations rather than one per minute.
     */
    public static Outlook outlook(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t) {
        return outlook(overrides, CalendarView.NONE, hours, zone, t);
    }

    /** As {@link #outlook(List, List, ZoneId, Instant)}, with the client's calendar and public holidays. */
    public static Outlook outlook(List<Override> overrides, CalendarView calendar, List<Window> hours, ZoneId zone,
                                  Instant t) {
        Reading now = at(overrides, calendar, hours, zone, t);
        Instant end = t.plus(HORIZON);
        TreeSet<Instant> candidates = changeCandidates(overrides, hours, zone, t, end);
        for (CalendarView.Busy b : calendar.busyBetween(t, end)) {
            addWithin(candidates, b.start(), t, end);
            addWithin(candidates, b.end(), t, end);
        }
        LocalDate last = LocalDateTime.ofInstant(end, zone).toLocalDate();
        for (LocalDate d = LocalDateTime.ofInstant(t, zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            if (calendar.holidayOn(d) != null) {
                addWithin(candidates, d.atStartOfDay(zone).toInstant(), t, end);
                addWithin(candidates, d.plusDays(1).atStartOfDay(zone).toInstant(), t, end);
            }
        }
        for (Instant c : candidates) {
            Status s = at(overrides, calendar, hours, zone, c).status();
            if (s != now.status()) return new Outlook(now, s, c);
        }
        return new Outlook(now, null, null);
    }

    /** Every instant in (t, end] at which the status can change, in order. */
    static TreeSet<Instant> changeCandidates(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t,
                                             Instant end) {
        TreeSet<Instant> out = new TreeSet<>();
        for (Override o : overrides) {
            if (o.kind() == OverrideKind.EXPECT) continue;
            addWithin(out, o.setAt(), t, end);
            if (o.until() != null) addWithin(out, o.until(), t, end);
        }
        LocalDate first = LocalDateTime.ofInstant(t, zone).toLocalDate().minusDays(1);
        LocalDate last = LocalDateTime.ofInstant(end, zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (Window w : hours) {
                addWithin(out, instant(d, w.from(), zone), t, end);
                addWithin(out, instant(d, w.to(), zone), t, end);
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

    private static void addWithin(TreeSet<Instant> out, Instant c, Instant t, Instant end) {
        if (c.isAfter(t) && !c.isAfter(end)) out.add(c);
    }

    public static Reading at(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t) {
        return at(overrides, CalendarView.NONE, hours, zone, t);
    }

    /** As {@link #at(List, List, ZoneId, Instant)}, with the client's calendar and public holidays. */
    public static Reading at(List<Override> overrides, CalendarView calendar, List<Window> hours, ZoneId zone,
                             Instant t) {
        Override decisive = newestActiveStatus(overrides, t);
        if (decisive != null && decisive.kind() != OverrideKind.SCHEDULE) {
            return new Reading(decisive.kind().status(), decisive, null);
        }
        CalendarView.Busy busy = calendar.busyAt(t);
        if (busy != null) return new Reading(Status.UNAVAILABLE, decisive, null, busy, null, zone, t);
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        String holiday = calendar.holidayOn(local.toLocalDate());
        if (holiday != null) return new Reading(Status.UNAVAILABLE, decisive, null, null, holiday, zone, t);
        for (int i = 0, n = hours.size(); i < n; i++) {
            Window w = hours.get(i);
            if (w.contains(local)) return new Reading(Status.AVAILABLE, decisive, w);
        }
        return new Reading(Status.UNAVAILABLE, decisive, null);
    }

    /**
     * The newest status override active at {@code t}. The newest one set by {@code t} is active unless its
     * {@code until} has passed; an older one is active only while its own {@code until} lies ahead, because
     * one without an end was replaced by the newer.
     */
    static Override newestActiveStatus(List<Override> overrides, Instant t) {
        boolean newest = true;
        for (int i = overrides.size() - 1; i >= 0; i--) {
            Override o = overrides.get(i);
            if (!o.kind().isStatus() || o.setAt().isAfter(t)) continue;
            Instant until = o.until();
            if (newest) {
                if (until == null || t.isBefore(until)) return o;
                newest = false;
            } else if (until != null && t.isBefore(until)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The active expect override for a caller, or null. Expect overrides follow the same rule as status
     * overrides, among those for the same number: one without an end lasts until a newer one for that number.
     */
    public static Override expecting(List<Override> overrides, String callerE164, Instant t) {
        if (callerE164.isEmpty()) return null;
        for (int i = overrides.size() - 1; i >= 0; i--) {
            Override o = overrides.get(i);
            if (o.kind() != OverrideKind.EXPECT || o.setAt().isAfter(t) || !o.number().matches(callerE164)) continue;
            if (o.until() != null) {
                if (t.isBefore(o.until())) return o;
            } else if (!replacedBy(overrides, i, t)) {
                return o;
            }
        }
        return null;
    }

    private static boolean replacedBy(List<Override> overrides, int index, Instant t) {
        Override o = overrides.get(index);
        for (int j = index + 1; j < overrides.size(); j++) {
            Override later = overrides.get(j);
            if (later.kind() == OverrideKind.EXPECT && later.number().equals(o.number()) && !later.setAt().isAfter(t)) {
                return true;
            }
        }
        return false;
    }
}
