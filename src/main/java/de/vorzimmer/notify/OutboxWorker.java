package de.vorzimmer.notify;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds: claim (committed), send (one provider request), record (committed), as
 * {@link OutboxStore} describes. Transient failures are retried after {@link Backoff}; a permanent one, or a
 * transient one whose next try would fall after the notification's give-up time, fails it for good.
 *
 * <p>Blocking (JDBC and HTTP): it runs on its own thread ({@link #start}), wakes when {@link #wake} is called (a
 * message was queued) or the next notification falls due, and at least every {@code poll} for rows other
 * processes queued. Several workers (nodes) on one database are safe: a claim is a conditional update.
 *
 * <p><b>The take-over window, and how it is closed.</b> If the process dies after the provider accepted a
 * notification and before {@link OutboxStore#markSent} committed, the row stays {@code sending}. After the
 * {@code lease} (longer than a request can take, so no other node's request can still be in flight) the next claim
 * takes it as abandoned, and before carrying it out again the worker asks the provider whether the earlier attempt
 * went out ({@link Delivery#candidates}; an SMS: Twilio's list of Messages to that number from our number, the same
 * text, created since shortly before the abandoned claim). Only abandoned claims pay for that lookup.
 * <ul>
 *   <li>The provider has it: recorded as sent with the provider's id (the first one no other row has recorded, as
 *       urgent texts to one number can be alike); not sent again.</li>
 *   <li>The provider has none: sent now, once.</li>
 *   <li>The lookup fails (Twilio unreachable, an error): neither recorded nor sent; the row stays claimed and is asked
 *       about again after the next lease. Past its give-up time it fails with the reason ("could not tell whether…").
 *       So the guarantee is <em>at most once</em> where it cannot be known: we never send blind after a failed lookup,
 *       and only a provider that stays unreachable until the give-up time (an hour by default) loses the SMS, which
 *       then shows as failed in the console and the log (ERROR).</li>
 * </ul>
 * What remains: a message Twilio accepted but does not list yet (its list lags its API by well under the lease), and
 * channels whose provider cannot be asked (e-mail: sent again; call-outs: the PBX is asked, see
 * {@code escalation.Escalations}). A request that timed out on a live worker is a transient failure and retried as
 * before: the lookup is for claims whose worker died.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
    private static final int BATCH = 16;

    private final OutboxStore outbox;
    private final Delivery delivery;
    private final java.util.Set<Channel> channels;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration lease;
    private final Duration poll;
    private final DoubleSupplier random;
    private final java.util.function.BooleanSupplier sendingHere;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param lease how long a claim may stay unrecorded before it counts as abandoned; longer than one provider
     *              request can take (its time-out) plus a commit
     */
    public OutboxWorker(OutboxStore outbox, SmsSender sender, Clock clock, Backoff backoff, Duration lease,
                        Duration poll) {
        this(outbox, Delivery.sms(Objects.requireNonNull(sender, "sender == null")), clock, backoff, lease, poll,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    public OutboxWorker(OutboxStore outbox, SmsSender sender, Clock clock, Backoff backoff, Duration lease,
                        Duration poll, DoubleSupplier random) {
        this(outbox, Delivery.sms(Objects.requireNonNull(sender, "sender == null")), clock, backoff, lease, poll, random);
    }

    /** A worker for SMS only (other channels' rows are left alone). */
    private OutboxWorker(OutboxStore outbox, Delivery delivery, Clock clock, Backoff backoff, Duration lease,
                         Duration poll, DoubleSupplier random) {
        this(outbox, delivery, java.util.EnumSet.of(Channel.SMS), clock, backoff, lease, poll, random);
    }

    /** A worker for the rows of {@code channels}, carried out by {@code delivery} (SMS, call-outs, e-mail). */
    public OutboxWorker(OutboxStore outbox, Delivery delivery, java.util.Set<Channel> channels, Clock clock,
                        Backoff backoff, Duration lease, Duration poll, DoubleSupplier random) {
        this(outbox, delivery, channels, clock, backoff, lease, poll, random, () -> true);
    }

    /**
     * @param sendingHere whether this process may claim now: with several nodes on one database only the holder of
     *                    the outbox's lease carries out its rows (every channel's), so that a claim is never made by a
     *                    node that lost it
     */
    public OutboxWorker(OutboxStore outbox, Delivery delivery, java.util.Set<Channel> channels, Clock clock,
                        Backoff backoff, Duration lease, Duration poll, DoubleSupplier random,
                        java.util.function.BooleanSupplier sendingHere) {
        this.sendingHere = Objects.requireNonNull(sendingHere, "sendingHere == null");
        this.channels = java.util.Set.copyOf(Objects.requireNonNull(channels, "channels == null"));
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.delivery = Objects.requireNonNull(delivery, "delivery == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.backoff = Objects.requireNonNull(backoff, "backoff == null");
        this.lease = Objects.requireNonNull(lease, "lease == null");
        this.poll = Objects.requireNonNull(poll, "poll == null");
        this.random = Objects.requireNonNull(random, "random == null");
    }

    /**
     * Claims what is due now and sends it, one at a time; returns how many were attempted. A retry scheduled
     * meanwhile waits for the next call. This is the whole protocol; the thread started by {@link #start} only
     * calls it in a loop.
     */
    public int runOnce() {
        int attempted = 0;
        Instant dueBy = clock.instant();
        while (sendingHere.getAsBoolean()) {
            Instant now = clock.instant();
            List<Notification> recovered = new ArrayList<>();
            List<Notification> claimed = outbox.claimDue(now, dueBy, now.minus(lease), BATCH, recovered, channels);
            java.util.Map<Long, Notification> abandoned = new java.util.HashMap<>();
            for (Notification n : recovered) {
                abandoned.put(n.id(), n);
                LOG.warn("outbox {} ({}) was claimed at {} and never recorded: its worker stopped mid-send; asking the "
                        + "provider whether it carried it out", n.id(), n.key(), n.claimedAt());
            }
            if (claimed.isEmpty()) return attempted;
            for (Notification n : claimed) {
                Notification earlier = abandoned.get(n.id());
                if (earlier != null && !stillToDo(n, earlier)) continue;
                send(n);
                attempted++;
            }
        }
        return attempted;
    }

    /**
     * For a notification whose earlier claim was abandoned: asks the provider whether it carried out that attempt.
     * True if it did not (carry it out now); false if it did (recorded with the provider's id) or if the question
     * failed (left claimed: after the lease it is asked about again; past its give-up time it fails, unsent).
     */
    private boolean stillToDo(Notification n, Notification earlier) {
        List<String> candidates;
        try {
            candidates = delivery.candidates(earlier);
        } catch (SendFailure | RuntimeException e) {
            if (clock.instant().isAfter(n.giveUpAt())) {
                outbox.markFailed(n.id(), "could not tell whether the provider carried out the attempt claimed at "
                        + earlier.claimedAt() + " (not repeated, lest it arrive twice): " + e.getMessage());
                LOG.error("outbox {} ({}) failed: past its give-up time and the provider cannot say whether the attempt "
                        + "claimed at {} went out; not repeated: {}", n.id(), n.key(), earlier.claimedAt(), e.getMessage());
            } else {
                LOG.warn("outbox {} ({}): could not ask the provider whether the attempt claimed at {} went out; asking "
                        + "again after {}: {}", n.id(), n.key(), earlier.claimedAt(), lease, e.getMessage());
            }
            return false;
        }
        if (candidates.isEmpty()) {
            LOG.info("outbox {} ({}): the provider has no record of the attempt claimed at {}; sending", n.id(), n.key(),
                    earlier.claimedAt());
            return true;
        }
        Optional<String> adopted = outbox.adoptEarlier(n.id(), candidates, clock.instant());
        if (adopted.isPresent()) {
            LOG.info("outbox {} ({}) had been carried out as {} before its worker stopped; recorded, not repeated", n.id(),
                    n.key(), adopted.get());
            return false;
        }
        // every one the provider has is another notification's (the same text to the same number): this one is not
        return true;
    }

    private void send(Notification n) {
        String sid;
        try {
            sid = delivery.deliver(n);
        } catch (SendFailure f) {
            failed(n, f);
            return;
        } catch (RuntimeException e) {
            // A bug or an SDK surprise: treat like a transient failure, so the give-up time still bounds it.
            failed(n, new SendFailure(false, "unexpected: " + e, e));
            return;
        }
        Instant at = clock.instant();
        if (outbox.markSent(n.id(), sid, at)) {
            LOG.info("outbox {} ({}) sent as {} after {} attempt(s)", n.id(), n.key(), sid, n.attempts());
        } else {
            LOG.warn("outbox {} ({}) sent as {} but no longer claimed by us; not recorded", n.id(), n.key(), sid);
        }
    }

    private void failed(Notification n, SendFailure f) {
        Instant now = clock.instant();
        if (f.cancelled()) {
            outbox.markCancelled(n.id(), f.getMessage());
            LOG.info("outbox {} ({}) cancelled: {}", n.id(), n.key(), f.getMessage());
            return;
        }
        if (f.permanent()) {
            outbox.markFailed(n.id(), "permanent: " + f.getMessage());
            LOG.warn("outbox {} ({}) failed permanently on attempt {}: {}", n.id(), n.key(), n.attempts(), f.getMessage());
            return;
        }
        Instant next = now.plus(f.retryIn() != null ? f.retryIn() : backoff.delay(n.attempts(), random));
        if (next.isAfter(n.giveUpAt())) {
            outbox.markFailed(n.id(), "gave up after " + n.attempts() + " attempts: " + f.getMessage());
            LOG.error("outbox {} ({}) gave up after {} attempts; last: {}", n.id(), n.key(), n.attempts(), f.getMessage());
            return;
        }
        outbox.markRetry(n.id(), next, f.getMessage());
        LOG.info("outbox {} ({}) attempt {} failed ({}); next at {}", n.id(), n.key(), n.attempts(), f.getMessage(), next);
    }

    /** Starts the sending thread. */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        running = true;
        thread = new Thread(this::loop, "outbox-worker");
        thread.setDaemon(true);
        thread.start();
    }

    /** Something was queued: look now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            long waitMs = poll.toMillis();
            try {
                runOnce();
                Optional<Instant> due = outbox.nextDue(channels);
                if (due.isPresent()) {
                    waitMs = Math.max(0, Math.min(waitMs, Duration.between(clock.instant(), due.get()).toMillis()));
                }
            } catch (RuntimeException e) {
                LOG.error("outbox worker: {}", e.getMessage(), e);
            }
            lock.lock();
            try {
                if (!woken && running && waitMs > 0) signal.await(waitMs, TimeUnit.MILLISECONDS);
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops after the current send. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
