package de.vorzimmer.routing;

import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.LiveStatus;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a decision needs, immutable: the indexed book, the live overrides, which secretaries are
 * off duty (secretaries count as on duty unless recorded otherwise) and each client's calendar view (busy events
 * and public holidays; a client without one has {@link CalendarView#NONE}).
 */
public record RoutingSnapshot(BookIndex book, LiveStatus live, Set<String> offDuty,
                              Map<String, CalendarView> calendars) {
    public RoutingSnapshot {
        Objects.requireNonNull(book, "book == null");
        Objects.requireNonNull(live, "live == null");
        offDuty = Set.copyOf(offDuty);
        calendars = Map.copyOf(calendars);
    }

    public RoutingSnapshot(BookIndex book, LiveStatus live, Set<String> offDuty) {
        this(book, live, offDuty, Map.of());
    }

    public RoutingSnapshot withLive(LiveStatus newLive) {
        return new RoutingSnapshot(book, newLive, offDuty, calendars);
    }

    public RoutingSnapshot withOffDuty(Set<String> newOffDuty) {
        return new RoutingSnapshot(book, live, newOffDuty, calendars);
    }

    /** @param views by client id; an immutable map ({@code Map.copyOf}) is taken as it is, without copying */
    public RoutingSnapshot withCalendars(Map<String, CalendarView> views) {
        return new RoutingSnapshot(book, live, offDuty, views);
    }

    /** The client's calendar view, {@link CalendarView#NONE} if it has none. */
    public CalendarView calendar(String clientId) {
        return calendars.getOrDefault(clientId, CalendarView.NONE);
    }
}
