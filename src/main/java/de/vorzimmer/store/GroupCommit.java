package de.vorzimmer.store;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers queue rows without waiting for the disk; one thread writes whatever has queued meanwhile
 * (up to {@code maxBatch}) in one transaction and then completes each caller's future, so a burst costs one
 * fsync instead of one per row and nothing is acknowledged before its commit. A full queue or a closed writer
 * refuses at once ({@link Rejected}); a failed batch fails each of its futures.
 */
public final class GroupCommit<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** The queue is full or the writer is closed; nothing was queued. */
    public static final class Rejected extends StoreException {
        Rejected(String message) {
            super(message);
        }
    }

    /** {@code done} is null for an item queued with {@link #offer}. */
    private record Pending<T>(T item, CompletableFuture<Void> done) {
    }

    private final Database db;
    private final int maxBatch;
    private final long lingerNanos;
    private final Consumer<List<T>> write;
    private final BlockingQueue<Pending<T>> queue;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param write writes one batch; it runs inside {@link Database#write}, so all of it commits together */
    public GroupCommit(String name, Database db, int maxBatch, int capacity, Consumer<List<T>> write) {
        this(name, db, maxBatch, capacity, Duration.ZERO, write);
    }

    /**
     * @param linger how long the writer lets a batch fill after its first row before committing. Zero commits
     *               at once (for callers that wait for their commit); a few milliseconds turn a steady stream of
     *               rows that nobody waits for into a few commits per second instead of one fsync per row.
     * @param write  writes one batch; it runs inside {@link Database#write}, so all of it commits together
     */
    public GroupCommit(String name, Database db, int maxBatch, int capacity, Duration linger, Consumer<List<T>> write) {
        if (linger.isNegative()) throw new IllegalArgumentException("linger " + linger + " < 0");
        this.lingerNanos = linger.toNanos();
        this.db = Objects.requireNonNull(db, "db == null");
        this.write = Objects.requireNonNull(write, "write == null");
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code item} for a caller that does not wait for its commit (no future is made for it); a batch
     * that fails is logged with the number of such rows it lost. False when the queue is full or the writer
     * closed: nothing was queued.
     */
    public boolean offer(T item) {
        return running && queue.offer(new Pending<>(item, null));
    }

    /** Queues {@code item}; the future completes after its commit, or with the failure. */
    public CompletableFuture<Void> submit(T item) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new Rejected(thread.getName() + " is closed"));
        } else if (!queue.offer(new Pending<>(item, done))) {
            done.completeExceptionally(new Rejected(thread.getName() + " is overloaded"));
        }
        return done;
    }

    private void run() {
        List<Pending<T>> batch = new ArrayList<>(maxBatch);
        List<T> items = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                if (lingerNanos > 0 && running) LockSupport.parkNanos(lingerNanos);
                queue.drainTo(batch, maxBatch - 1);
                for (Pending<T> p : batch) items.add(p.item());
                db.write(c -> {
                    write.accept(items);
                    return null;
                });
                for (Pending<T> p : batch) {
                    if (p.done() != null) p.done().complete(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                int unwatched = fail(batch, e);
                if (unwatched > 0) LOG.error("{}: {} rows not written: {}", thread.getName(), unwatched, e.getMessage());
            } finally {
                batch.clear();
                items.clear();
            }
        }
    }

    /** Commits what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) return; // still writing a batch; it drains the queue before it ends
        // a row queued in the instant between the writer's last look and its end: refused, not silently lost
        List<Pending<T>> late = new ArrayList<>();
        queue.drainTo(late);
        int unwatched = fail(late, new Rejected(thread.getName() + " is closed"));
        if (unwatched > 0) LOG.warn("{}: {} rows queued while closing were not written", thread.getName(), unwatched);
    }

    /** Fails the future of each of {@code rows} that has one; returns how many had none (queued by {@link #offer}). */
    private static <T> int fail(List<Pending<T>> rows, RuntimeException why) {
        int unwatched = 0;
        for (Pending<T> p : rows) {
            if (p.done() != null) p.done().completeExceptionally(why);
            else unwatched++;
        }
        return unwatched;
    }
}
