package de.vorzimmer.bench;

import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * Pre-built calls handed out in turn to a benchmark, each with its instant: arrays indexed without allocating, a
 * power-of-two count so that a turn is one mask. One ring per benchmark state (not thread-safe).
 */
final class CallRing {
    private final Call[] calls;
    private final Instant[] at;
    private final int mask;
    private int next;

    CallRing(List<BenchBook.TimedCall> timed) {
        if (Integer.bitCount(timed.size()) != 1) {
            throw new IllegalArgumentException("a call ring needs a power-of-two count of calls, not " + timed.size());
        }
        this.calls = BenchBook.TimedCall.calls(timed);
        this.at = BenchBook.TimedCall.instants(timed);
        this.mask = timed.size() - 1;
    }

    /** The next call's decision on {@code snapshot} at the call's instant. */
    Decision decide(RoutingSnapshot snapshot) {
        int i = next++ & mask;
        return Router.decide(snapshot, calls[i], at[i]);
    }

    /** The next call, for a baseline that does without the router. */
    Call call() {
        return calls[next++ & mask];
    }
}
