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
 * <p><b>The one window.</b> If the process dies after the provider accepted an SMS and before {@link
 * OutboxStore#markSent} committed, the row stays {@code sending}; after the {@code lease} the next claim hands it
 * back and it is sent again, so the client may get that SMS twice. We prefer that to losing an urgent message.
 * The window is one provider round trip plus one commit; the lease keeps it from being reopened while another
 * node's request might still be in flight.
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
            java.util.Set<Long> recoveredIds = new java.util.HashSet<>();
            for (Notification n : recovered) {
                recoveredIds.add(n.id());
                LOG.warn("outbox {} ({}) was claimed at {} and never recorded: its worker stopped mid-send; asking the "
                        + "provider, else sending again", n.id(), n.key(), n.claimedAt());
            }
            if (claimed.isEmpty()) return attempted;
            for (Notification n : claimed) {
                if (recoveredIds.contains(n.id()) && adopted(n)) continue;
                send(n);
                attempted++;
            }
        }
        return attempted;
    }

    /** A recovered notification the provider carried out after all: recorded, not done again. */
    private boolean adopted(Notification n) {
        Optional<String> found;
        try {
            found = delivery.find(n);
        } catch (RuntimeException e) {
            LOG.warn("outbox {} ({}): could not ask the provider whether it was carried out: {}", n.id(), n.key(),
                    e.getMessage());
            return false;
        }
        if (found.isEmpty()) return false;
        if (outbox.markSent(n.id(), found.get(), clock.instant())) {
            LOG.info("outbox {} ({}) had been carried out as {} before the stop; recorded, not repeated", n.id(), n.key(),
                    found.get());
        }
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
