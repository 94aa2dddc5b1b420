package de.vorzimmer.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, the one way the server batches writes: callers queue rows without waiting for the disk; one thread
 * writes whatever has queued meanwhile (up to {@link Settings#maxBatch}) in one transaction and then completes each
 * caller's future with its row's result, so a burst costs one fsync instead of one per row and nothing is
 * acknowledged before its commit. A full queue (after {@link Settings#queueWait}) or a closed writer refuses
 * ({@link Rejected}); a failed batch fails each of its futures, or with {@link Settings#oneByOneOnFailure} is written
 * again one row per transaction so that one bad row fails alone. {@link #close} commits what is queued and refuses
 * anything that comes later, so no caller waits for ever.
 *
 * @param <T> what is queued
 * @param <R> what each row's writing gives back (its id, whether it was new, ...); {@link Void} for none
 */
public final class GroupCommit<T, R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** The queue is full or the writer is closed; nothing was queued. */
    public static final class Rejected extends StoreException {
        Rejected(String message) {
            super(message);
        }
    }

    /** Writes one batch inside {@link Database#write} (so all of it commits together) and returns a result per row, in order. */
    @FunctionalInterface
    public interface BatchWrite<T, R> {
        List<R> write(List<T> batch);
    }

    /**
     * @param maxBatch          rows per transaction at most
     * @param capacity          rows that may wait at most
     * @param linger            how long the writer lets a batch fill after its first row before committing (a whole
     *                          batch is committed at once). Zero commits at once (for callers that wait for their
     *                          commit); some milliseconds turn a steady stream of rows that nobody waits for into a
     *                          few commits per second
     * @param queueWait         how long {@link #submit} waits for room in a full queue before refusing (zero: at once)
     * @param oneByOneOnFailure write a failed batch again one row per transaction, so one bad row fails alone
     */
    public record Settings(int maxBatch, int capacity, Duration linger, Duration queueWait, boolean oneByOneOnFailure) {
        public Settings {
            if (maxBatch < 1) throw new IllegalArgumentException("maxBatch " + maxBatch + " < 1");
            if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity + " < 1");
            if (linger.isNegative()) throw new IllegalArgumentException("linger " + linger + " < 0");
            if (queueWait.isNegative()) throw new IllegalArgumentException("queueWait " + queueWait + " < 0");
        }

        /** Batches of {@code maxBatch}, {@code capacity} waiting, committed at once, refused at once when full. */
        public static Settings of(int maxBatch, int capacity) {
            return new Settings(maxBatch, capacity, Duration.ZERO, Duration.ZERO, false);
        }

        public Settings withLinger(Duration d) {
            return new Settings(maxBatch, capacity, d, queueWait, oneByOneOnFailure);
        }

        public Settings withQueueWait(Duration d) {
            return new Settings(maxBatch, capacity, linger, d, oneByOneOnFailure);
        }

        /** These settings, with a failed batch written again one row per transaction. */
        public Settings splittingFailedBatches() {
            return new Settings(maxBatch, capacity, linger, queueWait, true);
        }
    }

    /** {@code done} is null for an item queued with {@link #offer}. */
    private record Pending<T, R>(T item, CompletableFuture<R> done) {
    }

    private final String name;
    private final Database db;
    private final Settings settings;
    private final BatchWrite<T, R> write;
    private final BlockingQueue<Pending<T, R>> queue;
    private final Thread thread;
    /** The writer waits for its batch to fill (set and cleared by the writer only). */
    private volatile boolean lingering;
    private volatile boolean running = true;

    public GroupCommit(String name, Database db, Settings settings, BatchWrite<T, R> write) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.db = Objects.requireNonNull(db, "db == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.write = Objects.requireNonNull(write, "write == null");
        this.queue = new LinkedBlockingQueue<>(settings.capacity());
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A writer whose rows give nothing back: {@code write} writes one batch inside {@link Database#write}. */
    public static <T> GroupCommit<T, Void> writing(String name, Database db, Settings settings, Consumer<List<T>> write) {
        Objects.requireNonNull(write, "write == null");
        return new GroupCommit<>(name, db, settings, batch -> {
            write.accept(batch);
            List<Void> none = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) none.add(null);
            return none;
        });
    }

    /**
     * Queues {@code item} for a caller that does not wait for its commit (no future is made for it); a batch
     * that fails is logged with the number of such rows it lost. False when the queue is full or the writer
     * closed: nothing was queued.
     */
    public boolean offer(T item) {
        if (!running || !queue.offer(new Pending<>(item, null))) return false;
        batchFilled();
        return true;
    }

    /**
     * A lingering writer is woken as soon as a whole batch waits: the linger saves commits at low rates, it must not
     * cap the rows per second at {@code maxBatch} per linger at high ones.
     */
    private void batchFilled() {
        if (lingering && queue.size() >= settings.maxBatch() - 1) LockSupport.unpark(thread);
    }

    /** Rows waiting for their batch now (not counting the batch being written); for the operator's metrics. */
    public int queued() {
        return queue.size();
    }

    /** Queues {@code item}; the future completes with its result after its commit, or with the failure. */
    public CompletableFuture<R> submit(T item) {
        CompletableFuture<R> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new Rejected(name + " is closed"));
            return done;
        }
        try {
            boolean queued = settings.queueWait().isZero() ? queue.offer(new Pending<>(item, done))
                    : queue.offer(new Pending<>(item, done), settings.queueWait().toMillis(), TimeUnit.MILLISECONDS);
            if (!queued) done.completeExceptionally(new Rejected(name + " is overloaded"));
            else batchFilled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new Rejected(name + ": interrupted while queueing"));
        }
        return done;
    }

    /** {@link #submit} and wait: returns the row's result once committed, or throws its failure (blocking). */
    public R await(T item) {
        try {
            return submit(item).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(name + ": interrupted while waiting for a commit");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException(name + ": not written: " + e.getCause(), e.getCause());
        }
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(settings.maxBatch());
        long lingerNanos = settings.linger().toNanos();
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                if (lingerNanos > 0 && running) linger(System.nanoTime() + lingerNanos);
                queue.drainTo(batch, settings.maxBatch() - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Lets rows gather until {@code until} (System.nanoTime), or until a whole batch waits, or the writer closes. */
    private void linger(long until) {
        lingering = true;
        try {
            long left;
            while (running && queue.size() < settings.maxBatch() - 1 && (left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            lingering = false;
        }
    }

    private void writeBatch(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) items.add(p.item());
        List<R> results;
        try {
            results = db.write(c -> write.write(items));
            if (results.size() != batch.size()) {
                throw new IllegalStateException(name + ": " + results.size() + " results for " + batch.size() + " rows");
            }
        } catch (RuntimeException e) {
            if (settings.oneByOneOnFailure() && batch.size() > 1) {
                LOG.warn("{}: batch of {} failed ({}); writing the rows one by one", name, batch.size(), e.getMessage());
                for (Pending<T, R> p : batch) writeBatch(List.of(p));
                return;
            }
            int unwatched = fail(batch, e);
            if (unwatched > 0) LOG.error("{}: {} rows not written: {}", name, unwatched, e.getMessage());
            return;
        }
        // committed: only now may anyone learn the results
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<R> done = batch.get(i).done();
            if (done != null) done.complete(results.get(i));
        }
    }

    /** Commits what is queued, then stops; rows that arrive later are refused. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread); // a lingering writer commits what it has now
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) return; // still writing a batch; it drains the queue before it ends
        // a row queued in the instant between the writer's last look and its end: refused, not silently lost
        List<Pending<T, R>> late = new ArrayList<>();
        queue.drainTo(late);
        int unwatched = fail(late, new Rejected(name + " is closed"));
        if (unwatched > 0) LOG.warn("{}: {} rows queued while closing were not written", name, unwatched);
    }

    /** Fails the future of each of {@code rows} that has one; returns how many had none (queued by {@link #offer}). */
    private static <T, R> int fail(List<Pending<T, R>> rows, RuntimeException why) {
        int unwatched = 0;
        for (Pending<T, R> p : rows) {
            if (p.done() != null) p.done().completeExceptionally(why);
            else unwatched++;
        }
        return unwatched;
    }
}
