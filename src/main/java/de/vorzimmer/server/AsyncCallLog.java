package de.vorzimmer.server;

import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.store.CallLogStore;
import de.vorzimmer.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the call log off the call path: adapters hand decisions over without waiting, one thread writes
 * them in batches (one transaction per batch, so a burst of calls costs one fsync, not one each).
 * When the queue is full a decision is dropped from the log with a warning; the call itself is never held up.
 */
public final class AsyncCallLog implements DecisionLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncCallLog.class);
    private static final int MAX_BATCH = 500;

    private record Entry(String callId, String channel, Instant at, Decision decision) {
    }

    private final Database db;
    private final CallLogStore calls;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    public AsyncCallLog(Database db, CallLogStore calls) {
        this.db = db;
        this.calls = calls;
        this.writer = new Thread(this::run, "call-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(String callId, String channel, Instant at, Decision decision) {
        if (!queue.offer(new Entry(callId, channel, at, decision))) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) LOG.warn("call log: queue full, {} decisions not logged so far", n);
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                db.write(c -> {
                    for (Entry e : batch) calls.append(e.callId(), e.channel(), e.at(), e.decision());
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("call log: could not write {} decisions: {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
