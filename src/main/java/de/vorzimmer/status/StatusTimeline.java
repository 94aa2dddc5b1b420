package de.vorzimmer.status;

import de.vorzimmer.book.Status;

import de.vorzimmer.book.Window;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Works out a client's status at an instant from its overrides and weekly hours, as the design fixes it:
 * the newest override active at {@code t} decides; else available inside a window, else unavailable.
 * Pure: no clock, no I/O.
 */
public final class StatusTimeline {
    private StatusTimeline() {
    }

    /**
     * What decided a status: the override (null if the hours decided), the window (null if none held).
     */
    public record Reading(Status status, Override override, Window window) {
        public String why() {
            if (override != null) {
                StringBuilder sb = new StringBuilder(64).append(status.word()).append(": override ")
                        .append(override.kind().word()).append(" set ").append(override.setAt());
                if (override.until() != null) sb.append(" until ").append(override.until());
                if (override.note() != null && !override.note().isBlank()) {
                    sb.append(" (").append(override.note()).append(')');
                }
                return sb.toString();
            }
            if (window != null) return status.word() + ": window " + window;
            return status.word() + ": outside hours";
        }

        /** When this status ends by itself, if it is an override with an end. */
        public Instant until() {
            return override == null ? null : override.until();
        }
    }

    public static Reading at(List<Override> overrides, List<Window> hours, ZoneId zone, Instant t) {
        Override decisive = newestActiveStatus(overrides, t);
        if (decisive != null && decisive.kind() != OverrideKind.SCHEDULE) {
            return new Reading(decisive.kind().status(), decisive, null);
        }
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
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
