package de.vorzimmer.asterisk.agi;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The time-outs of the FastAGI connections of one event loop, kept without a Vert.x timer per connection.
 *
 * <p>Every time-out of a kind has the same length (the request time-out, the command time-out), so a deadline set now
 * is the latest of its kind: each kind is a queue in order of expiry, a deadline is appended at its tail and, when it
 * is met (the usual case), unlinked from wherever it is in O(1). One Vert.x timer, for the earliest head, sweeps what
 * has expired and sets itself for the next head; a deadline unlinked before then costs the timer nothing, it simply
 * finds nothing due. Under load that is one timer every few seconds for the loop instead of a timer set and
 * cancelled twice per call (docs/benchmarks.md §1.10).
 *
 * <p>Not thread-safe: everything runs on the event loop of {@code context}, as the connections do.
 */
final class Deadlines {
    private final Context context;
    private final LongSupplier nanoClock;
    /** The two kinds in use; a third length (not used by the server) gets a queue of its own on demand. */
    private Queue[] queues = new Queue[0];
    private long timerId = -1;
    private long timerDue;

    Deadlines(Context context) {
        this(context, System::nanoTime);
    }

    Deadlines(Context context, LongSupplier nanoClock) {
        this.context = context;
        this.nanoClock = nanoClock;
    }

    /** A deadline that runs {@code onExpiry} on the event loop when it expires; it starts unset. */
    Deadline deadline(Runnable onExpiry) {
        return new Deadline(onExpiry);
    }

    /** Deadlines set right now (for tests and diagnostics). */
    int pending() {
        int n = 0;
        for (Queue q : queues) {
            for (Deadline d = q.head; d != null; d = d.next) n++;
        }
        return n;
    }

    /** One connection's deadline: set, met (cancelled) or expired, any number of times. */
    final class Deadline {
        private final Runnable onExpiry;
        private Queue queue;
        private long due;
        private Deadline prev;
        private Deadline next;

        private Deadline(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        /** Sets the deadline {@code timeout} from now, replacing the one set before. */
        void set(Duration timeout) {
            cancel();
            Queue q = queue(timeout.toNanos());
            due = nanoClock.getAsLong() + q.nanos;
            queue = q;
            prev = q.tail;
            if (q.tail == null) q.head = this;
            else q.tail.next = this;
            q.tail = this;
            if (timerId < 0 || due - timerDue < 0) schedule(due);
        }

        /** The deadline is met: it will not expire (nothing happens if it is not set). */
        void cancel() {
            Queue q = queue;
            if (q == null) return;
            if (prev == null) q.head = next;
            else prev.next = next;
            if (next == null) q.tail = prev;
            else next.prev = prev;
            prev = null;
            next = null;
            queue = null;
        }

        boolean isSet() {
            return queue != null;
        }
    }

    /** The deadlines of one length, earliest first. */
    private static final class Queue {
        final long nanos;
        Deadline head;
        Deadline tail;

        Queue(long nanos) {
            this.nanos = nanos;
        }
    }

    private Queue queue(long nanos) {
        for (Queue q : queues) {
            if (q.nanos == nanos) return q;
        }
        Queue[] more = Arrays.copyOf(queues, queues.length + 1);
        more[queues.length] = new Queue(nanos);
        queues = more;
        return more[queues.length - 1];
    }

    /** Sets the one timer for {@code due}, replacing a later one. */
    private void schedule(long due) {
        if (timerId >= 0) context.owner().cancelTimer(timerId);
        timerDue = due;
        // rounded up, so that the timer never fires before the deadline it is for
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - nanoClock.getAsLong() + 999_999));
        timerId = context.owner().setTimer(ms, id -> {
            if (id != timerId) return;
            timerId = -1;
            sweep();
        });
    }

    /** Expires what is due, then sets the timer for the earliest deadline left. */
    void sweep() {
        long now = nanoClock.getAsLong();
        for (Queue q : queues) {
            Deadline d;
            while ((d = q.head) != null && d.due - now <= 0) {
                d.cancel();
                d.onExpiry.run();
            }
        }
        boolean any = false;
        long earliest = 0;
        for (Queue q : queues) {
            if (q.head != null && (!any || q.head.due - earliest < 0)) {
                earliest = q.head.due;
                any = true;
            }
        }
        // an expiry may have set a deadline, and with it the timer, already
        if (any && (timerId < 0 || earliest - timerDue < 0)) schedule(earliest);
    }
}
