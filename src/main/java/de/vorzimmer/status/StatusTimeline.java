package de.vorzimmer.status;

import de.vorzimmer.book.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

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
