package de.vorzimmer.book;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One person on a client's on-call list ({@code oncall:} in the book): who must confirm an urgent message, tried in
 * the list's order. An entry may be limited to weekdays and a time of day ({@code days}, {@code from}/{@code to} as
 * {@code HH:MM}, read like the client's {@code hours}) or to a date range ({@code from}/{@code to} as
 * {@code YYYY-MM-DD}, both days included): a rotation such as "this week Dr. Schulz".
 *
 * @param number E.164
 * @param window weekdays and time of day the entry holds, or null for any time
 * @param fromDate first local date it holds, or null
 * @param toDate   last local date it holds, or null
 */
public record OnCall(String name, String number, Window window, LocalDate fromDate, LocalDate toDate) {
    public OnCall {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(number, "number == null");
        // every day, all day, is no limit at all
        if (window != null && window.days().mask() == 0x7f && window.from() == 0 && window.to() == Window.END_OF_DAY) {
            window = null;
        }
        if (fromDate != null && toDate != null && toDate.isBefore(fromDate)) {
            throw new IllegalArgumentException("on-call date range ends " + toDate + " before it starts " + fromDate);
        }
    }

    /** An entry that always holds. */
    public static OnCall always(String name, String number) {
        return new OnCall(name, number, null, null, null);
    }

    /** Whether the entry holds at {@code t}, read on the wall clock of {@code zone}. */
    public boolean holdsAt(Instant t, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        LocalDate day = local.toLocalDate();
        if (fromDate != null && day.isBefore(fromDate)) return false;
        if (toDate != null && day.isAfter(toDate)) return false;
        return window == null || window.contains(local);
    }

    /** True when the entry always holds. */
    public boolean unlimited() {
        return window == null && fromDate == null && toDate == null;
    }
}
