package de.vorzimmer.calendar;

import de.vorzimmer.status.CalendarView;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the store holds about one client's calendar: the last good copy's busy events (expanded for a window),
 * the validators for the next conditional request, and how fetching goes.
 *
 * @param busy          the last good copy's busy events in [{@code expandedFrom}, {@code expandedTo}), or null
 *                      if no fetch ever succeeded
 * @param goodAt        the last successful fetch, or null
 * @param failingSince  the first failure since the last success, or null while fresh ("stale since")
 * @param lastError     the last error (URL, HTTP status or the parse problem with its line), or null
 * @param nextAt        when the next fetch is due
 */
public record FeedState(String clientId, String url, String etag, String lastModified, List<CalendarView.Busy> busy,
                        Instant expandedFrom, Instant expandedTo, Instant goodAt, Instant checkedAt,
                        Instant failingSince, int failures, String lastError, Instant nextAt, Instant updatedAt) {
    public FeedState {
        Objects.requireNonNull(clientId, "clientId == null");
        Objects.requireNonNull(url, "url == null");
        busy = busy == null ? null : List.copyOf(busy);
    }

    public boolean hasCopy() {
        return busy != null;
    }

    /** Fetching failed since the last success (or has never succeeded). */
    public boolean stale() {
        return failingSince != null;
    }
}
