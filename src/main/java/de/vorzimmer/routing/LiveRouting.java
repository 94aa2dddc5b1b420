package de.vorzimmer.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The routing core as the adapters use it: the current snapshot, swapped atomically when the book,
 * an override or a duty state changes, and the clock that supplies "now".
 */
public final class LiveRouting {
    private final AtomicReference<RoutingSnapshot> current;
    private final Clock clock;

    public LiveRouting(RoutingSnapshot initial, Clock clock) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial == null"));
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public Decision decide(Call call) {
        return Router.decide(current.get(), call, clock.instant());
    }

    public Decision decide(Call call, Instant at) {
        return Router.decide(current.get(), call, at);
    }

    /** A decision with the snapshot it was made on (its book version, its ring times), read once. */
    public record Routed(Decision decision, RoutingSnapshot snapshot) {
    }

    /** Decides {@code call} at {@code at} and says on which snapshot: for adapters that need more of it than the decision. */
    public Routed route(Call call, Instant at) {
        RoutingSnapshot s = current.get();
        return new Routed(Router.decide(s, call, at), s);
    }

    public RoutingSnapshot snapshot() {
        return current.get();
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    public void replace(RoutingSnapshot snapshot) {
        current.set(Objects.requireNonNull(snapshot, "snapshot == null"));
    }

    public void update(UnaryOperator<RoutingSnapshot> change) {
        current.updateAndGet(change);
    }
}
