package de.vorzimmer.routing;

import de.vorzimmer.status.LiveStatus;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a decision needs, immutable: the indexed book, the live overrides and which secretaries are
 * off duty (secretaries count as on duty unless recorded otherwise).
 */
public record RoutingSnapshot(BookIndex book, LiveStatus live, Set<String> offDuty) {
    public RoutingSnapshot {
        Objects.requireNonNull(book, "book == null");
        Objects.requireNonNull(live, "live == null");
        offDuty = Set.copyOf(offDuty);
    }

    public RoutingSnapshot withLive(LiveStatus newLive) {
        return new RoutingSnapshot(book, newLive, offDuty);
    }

    public RoutingSnapshot withOffDuty(Set<String> newOffDuty) {
        return new RoutingSnapshot(book, live, newOffDuty);
    }
}
