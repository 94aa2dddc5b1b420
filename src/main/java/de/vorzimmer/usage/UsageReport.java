package de.vorzimmer.usage;

import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * The usage of a month, per client, and the same summed per day of the month for the chart.
 *
 * @param step    the unit secretary time is counted in
 * @param clients one line per client, the book's order by name; clients no longer in the book follow by id
 * @param days    one entry per day of the month (1 to 28..31), summed over {@code clients}
 */
public record UsageReport(YearMonth month, Duration step, List<ClientUsage> clients, List<Day> days) {
    public UsageReport {
        Objects.requireNonNull(month, "month == null");
        Objects.requireNonNull(step, "step == null");
        clients = List.copyOf(clients);
        days = List.copyOf(days);
    }

    /** Calls and secretary time on one day of the month (in each client's own time zone). */
    public record Day(int day, int calls, long secretarySeconds) {
    }
}
