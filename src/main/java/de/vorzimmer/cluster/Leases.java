package de.vorzimmer.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's leases on once-only work ({@link LeaseStore}): each registered lease is taken or renewed every
 * {@link Timing#renewEvery}; whoever has it gets {@link Owner#gained}, and {@link Owner#lost} when it could not renew
 * in time or another node took it over. A lease counts as held here only until {@code ttl - margin} after the
 * renewal that began last (measured on this machine's monotonic clock), while the other nodes wait for the stored
 * {@code expires_at} (their wall clock): so the old holder has stopped before a new one starts, as long as the
 * nodes' clocks differ by less than the margin. A node that dies stops renewing, and a survivor takes over within
 * {@code ttl + renewEvery}.
 *
 * <p>The first round runs in {@link #start}: a lone node owns everything before it serves anything.
 */
public final class Leases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    /** What a lease's owner starts and stops; called on the lease thread (keep it short, hand long work off). */
    public interface Owner {
        void gained();

        void lost();
    }

    /**
     * @param ttl        how long a renewal holds the lease in the table
     * @param renewEvery how often the holder renews (and the others try to take it)
     * @param margin     how long before the stored expiry the holder stops acting
     */
    public record Timing(Duration ttl, Duration renewEvery, Duration margin) {
        /** Take-over within 8 s of a holder's death; clocks may differ by up to 2 s. */
        public static final Timing STANDARD = new Timing(Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(2));

        public Timing {
            if (margin.compareTo(ttl) >= 0 || renewEvery.compareTo(ttl.minus(margin)) >= 0) {
                throw new IllegalArgumentException("lease timing " + ttl + "/" + renewEvery + "/" + margin
                        + ": renewals must come well within ttl - margin");
            }
        }
    }

    private final LeaseStore store;
    private final String holder;
    private final Clock clock;
    private final Timing timing;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private volatile boolean closed;

    private static final class Entry {
        final String name;
        final Owner owner;
        volatile boolean held;
        volatile long validUntilNanos;

        Entry(String name, Owner owner) {
            this.name = name;
            this.owner = owner;
        }
    }

    public Leases(LeaseStore store, String holder, Clock clock, Timing timing) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.holder = Objects.requireNonNull(holder, "holder == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.timing = Objects.requireNonNull(timing, "timing == null");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leases");
            t.setDaemon(true);
            return t;
        });
    }

    /** Who this node is in the {@code leases} table. */
    public String holder() {
        return holder;
    }

    /** Adds a lease to keep (before or after {@link #start}); {@code owner} hears when this node gains or loses it. */
    public void register(String name, Owner owner) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(owner, "owner == null");
        if (entries.putIfAbsent(name, new Entry(name, owner)) != null) {
            throw new IllegalArgumentException("lease '" + name + "' registered twice");
        }
    }

    /** Runs the first round now, then every {@code renewEvery}. */
    public void start() {
        try {
            thread.submit(this::round).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("leases: first round failed: {}", e.getCause().toString());
        }
        long every = timing.renewEvery().toMillis();
        thread.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    }

    /** True while this node holds {@code name} (renewed recently enough to act on it). */
    public boolean held(String name) {
        Entry e = entries.get(name);
        return e != null && e.held && System.nanoTime() - e.validUntilNanos < 0;
    }

    /** The names of the leases this node holds now. */
    public List<String> heldNames() {
        return entries.keySet().stream().filter(this::held).sorted().toList();
    }

    private void round() {
        if (closed) return;
        for (Entry e : entries.values()) {
            long started = System.nanoTime();
            boolean ok;
            try {
                ok = store.acquire(e.name, holder, clock.instant(), timing.ttl());
            } catch (RuntimeException failure) {
                // the database is away: keep acting until the lease would have run out, then stop
                LOG.warn("leases: cannot renew {}: {}", e.name, failure.getMessage());
                if (e.held && System.nanoTime() - e.validUntilNanos >= 0) lose(e, "not renewed in time");
                continue;
            }
            if (ok) {
                e.validUntilNanos = started + timing.ttl().minus(timing.margin()).toNanos();
                if (!e.held) {
                    e.held = true;
                    LOG.info("lease {}: held by this node ({})", e.name, holder);
                    call(e, true);
                }
            } else if (e.held) {
                lose(e, "taken over by another node");
            }
        }
    }

    private void lose(Entry e, String why) {
        e.held = false;
        LOG.warn("lease {}: lost ({})", e.name, why);
        call(e, false);
    }

    private static void call(Entry e, boolean gained) {
        try {
            if (gained) e.owner.gained();
            else e.owner.lost();
        } catch (RuntimeException failure) {
            LOG.error("lease {}: owner failed on {}: {}", e.name, gained ? "gain" : "loss", failure.toString(), failure);
        }
    }

    /** Stops renewing; the owners of held leases hear {@link Owner#lost}, and the leases are released for the others. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            thread.submit(() -> {
                for (Entry e : entries.values()) {
                    if (!e.held) continue;
                    e.held = false;
                    call(e, false);
                    try {
                        store.release(e.name, holder);
                    } catch (RuntimeException failure) {
                        LOG.warn("leases: cannot release {}: {}", e.name, failure.getMessage());
                    }
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("leases: release on close failed: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
