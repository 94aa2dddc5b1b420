package de.vorzimmer.messages;


import de.vorzimmer.store.Database;
import de.vorzimmer.store.StoreException;

import de.vorzimmer.notify.NewNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for messages: callers hand a message over and wait; one thread gathers what is waiting into one
 * transaction, commits it (one fsync with {@code synchronous=FULL}, however many messages), and only then
 * completes each caller's future with its id. Nothing is acknowledged before its commit, and under concurrent
 * load the fsync cost is shared instead of paid per message.
 *
 * <p>If a batch fails, its messages are written again one transaction each, so one bad message fails alone.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageWriter.class);
    public static final int MAX_BATCH = 256;

    private record Pending(Message message, LongFunction<List<NewNotification>> notifications,
                           CompletableFuture<Long> done) {
    }

    private final Database db;
    private final MessageStore messages;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread thread;
    private volatile boolean running = true;

    public MessageWriter(Database db, MessageStore messages) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.thread = new Thread(this::run, "message-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the message; the future completes with its id after the commit, or with the failure. */
    public CompletableFuture<Long> submit(Message m, LongFunction<List<NewNotification>> notifications) {
        Objects.requireNonNull(m, "message == null");
        Objects.requireNonNull(notifications, "notifications == null");
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new StoreException("message writer is closed"));
            return done;
        }
        try {
            if (!queue.offer(new Pending(m, notifications, done), 10, TimeUnit.SECONDS)) {
                done.completeExceptionally(new StoreException("message writer is overloaded (10 s queue wait)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new StoreException("interrupted while queueing a message"));
        }
        return done;
    }

    /** Stores the message and returns its id once committed (blocking). */
    public long add(Message m, LongFunction<List<NewNotification>> notifications) {
        try {
            return submit(m, notifications).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a message commit");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException("message not stored: " + e.getCause(), e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) p.done.completeExceptionally(new StoreException("message writer stopped"));
    }

    private void write(List<Pending> batch) {
        long[] ids = new long[batch.size()];
        try {
            db.write(c -> {
                for (int i = 0; i < batch.size(); i++) ids[i] = messages.add(batch.get(i).message, batch.get(i).notifications);
                return null;
            });
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done.completeExceptionally(e);
                return;
            }
            LOG.warn("message batch of {} failed ({}); writing them one by one", batch.size(), e.getMessage());
            for (Pending p : batch) {
                try {
                    p.done.complete(messages.add(p.message, p.notifications));
                } catch (RuntimeException one) {
                    p.done.completeExceptionally(one);
                }
            }
            return;
        }
        // committed: only now may anyone learn the ids
        for (int i = 0; i < batch.size(); i++) batch.get(i).done.complete(ids[i]);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
