package de.vorzimmer.server;

import de.vorzimmer.escalation.Escalations;
import de.vorzimmer.messages.DigestScheduler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's timers, each running its blocking work off the event loop: the store watch (every second: writes
 * by other processes and nodes reach routing), the daily digests (every 30 s: queued once per client and day),
 * the escalation chains (every 5 s: unconfirmed urgent messages whose next step is due get it) and the housekeeping
 * job (deletes what has aged out, on its own worker).
 */
final class BackgroundJobs extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundJobs.class);
    static final Duration WATCH_EVERY = Duration.ofSeconds(1);
    static final Duration DIGESTS_EVERY = Duration.ofSeconds(30);
    static final Duration ESCALATIONS_EVERY = Duration.ofSeconds(5);

    private final StoreWatcher watcher;
    private final DigestScheduler digests;
    private final Escalations escalations;
    private final Housekeeping housekeeping;
    private final Duration housekeepingEvery;
    private final Once once;

    /** Whether this node does the once-only jobs now (it holds their lease; always, on a database of its own). */
    interface Once {
        boolean digests();

        boolean housekeeping();

        /** The escalation chains' check: with the outbox, whose rows it queues. */
        boolean escalations();

        Once ALWAYS = new Once() {
            public boolean digests() {
                return true;
            }

            public boolean housekeeping() {
                return true;
            }

            public boolean escalations() {
                return true;
            }
        };
    }

    BackgroundJobs(StoreWatcher watcher, DigestScheduler digests, Escalations escalations, Housekeeping housekeeping,
                   Duration housekeepingEvery) {
        this(watcher, digests, escalations, housekeeping, housekeepingEvery, Once.ALWAYS);
    }

    BackgroundJobs(StoreWatcher watcher, DigestScheduler digests, Escalations escalations, Housekeeping housekeeping,
                   Duration housekeepingEvery, Once once) {
        this.once = Objects.requireNonNull(once, "once == null");
        this.watcher = Objects.requireNonNull(watcher, "watcher == null");
        this.digests = Objects.requireNonNull(digests, "digests == null");
        this.escalations = Objects.requireNonNull(escalations, "escalations == null");
        this.housekeeping = Objects.requireNonNull(housekeeping, "housekeeping == null");
        this.housekeepingEvery = Objects.requireNonNull(housekeepingEvery, "housekeepingEvery == null");
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(WATCH_EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
            watcher.poll();
            return null;
        }, false).onFailure(e -> LOG.warn("store watch failed: {}", e.getMessage())));
        vertx.setPeriodic(DIGESTS_EVERY.toMillis(), id -> {
            if (!once.digests()) return;
            vertx.executeBlocking(digests::runOnce, false)
                    .onFailure(e -> LOG.warn("digest scheduling failed: {}", e.getMessage()));
        });
        vertx.setPeriodic(ESCALATIONS_EVERY.toMillis(), id -> {
            if (!once.escalations()) return;
            vertx.executeBlocking(escalations::runOnce, false)
                    .onFailure(e -> LOG.warn("escalation check failed: {}", e.getMessage()));
        });
        housekeeping.start(vertx, housekeepingEvery, once::housekeeping);
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        housekeeping.close();
        return Future.succeededFuture();
    }
}
