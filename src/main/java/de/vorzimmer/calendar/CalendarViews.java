package de.vorzimmer.calendar;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.HolidayRegion;
import de.vorzimmer.status.CalendarView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the routing core's {@link CalendarView}s: a client's busy events of one window plus the public holidays of
 * its region around it. Holiday tables are shared between the clients of one region (one build, one map). Pure.
 */
public final class CalendarViews {
    /** Public holidays are looked up this many days beyond the window on either side. */
    private static final int HOLIDAY_MARGIN_DAYS = 2;

    private final Map<String, Map<LocalDate, String>> holidayTables = new HashMap<>();

    /**
     * The view of one client.
     *
     * @param busy       the expanded busy events of [{@code from}, {@code to}), or null when the client has no
     *                   calendar (or none was ever read)
     * @param staleSince since when fetching fails, null when the last fetch succeeded
     */
    public CalendarView view(Client client, List<CalendarView.Busy> busy, Instant from, Instant to, Instant staleSince) {
        Map<LocalDate, String> holidays = holidays(client, from, to);
        if (busy == null) {
            return holidays.isEmpty() && staleSince == null ? CalendarView.NONE
                    : new CalendarView(null, null, List.of(), holidays, staleSince);
        }
        return new CalendarView(from, to, busy, holidays, staleSince);
    }

    private Map<LocalDate, String> holidays(Client client, Instant from, Instant to) {
        HolidayRegion region = client.holidays();
        if (region == null) return Map.of();
        ZoneId zone = client.timezone();
        LocalDate first = LocalDate.ofInstant(from, zone).minusDays(HOLIDAY_MARGIN_DAYS);
        LocalDate last = LocalDate.ofInstant(to, zone).plusDays(HOLIDAY_MARGIN_DAYS);
        String key = region.code() + ":" + client.language() + ":" + first + ":" + last;
        return holidayTables.computeIfAbsent(key, k -> PublicHolidays.between(region, first, last, client.language()));
    }
}
