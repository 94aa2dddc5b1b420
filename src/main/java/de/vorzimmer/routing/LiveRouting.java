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
