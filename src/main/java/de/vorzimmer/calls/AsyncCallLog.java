package de.vorzimmer.calls;



import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.GroupCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Writes the call log off the call path: adapters hand decisions over without waiting, and they are written in
 * batches ({@link GroupCommit}: one transaction per batch, so a burst of calls costs one fsync, not one each).
 * When the queue is full a decision is dropped from the log with a warning; the call itself is never held up.
 */
public final class AsyncCallLog implements DecisionLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncCallLog.class);

    private record Entry(String callId, String channel, Instant at, Decision decision, boolean logLine) {
    }

    /**
     * Nobody waits for a call-log row, so the writer lets rows gather this long before a commit: five commits per
     * second at most, whatever the rate, instead of one fsync per call. A crash loses at most this much of the log
     * (the calls themselves were routed already). 200 ms rather than 50: nearly every row dirties an index page of its
     * own (the index by client and caller takes keys in no order; so does the one by call for Twilio's call IDs), and
     * at a PBX's few hundred calls per second the fewer, larger commits cost the writer about a third less CPU per row
     * (docs/benchmarks.md §2.4).
     */
    static final Duration LINGER = Duration.ofMillis(200);

    private final GroupCommit<Entry, Void> writer;
    private final AtomicLong dropped = new AtomicLong();
    private final Level lineLevel;

    public AsyncCallLog(Database db, CallLogStore calls) {
        this(db, calls, Level.INFO);
    }

    /**
     * @param lineLevel the level of the one line per call ({@code route: CALLER -> LINE ACTION ...}), or null for
     *                  none: the operator's choice ({@code log.call-level}); at 200 calls/s an INFO line per call is
     *                  about 100 MB of log an hour
     */
    public AsyncCallLog(Database db, CallLogStore calls, Level lineLevel) {
        this.lineLevel = lineLevel;
        this.writer = GroupCommit.writing("call-log-writer", db, GroupCommit.Settings.of(500, 50_000).withLinger(LINGER), batch -> {
            List<CallLogEntry> rows = new ArrayList<>(batch.size());
            for (Entry e : batch) {
                // the line traces a decision already acted on, so it is written even if the row then fails
                if (e.logLine()) logLine(e, lineLevel);
                rows.add(CallLogStore.entry(e.callId(), e.channel(), e.at(), e.decision()));
            }
            calls.appendAll(rows);
        });
    }

    @Override
    public void record(String callId, String channel, Instant at, Decision decision) {
        offer(new Entry(callId, channel, at, decision, false));
    }

    /**
     * The decision's log line is written here, by the writer thread, a batch at a time: written by the call's own
     * thread through the asynchronous appender, it woke the appender's thread once per call (measured on the real
     * Asterisk at about 0.1 ms of CPU per call on a busy 2-CPU PBX host, docs/benchmarks.md §2).
     */
    @Override
    public void recordWithLogLine(String callId, String channel, Instant at, Decision decision) {
        offer(new Entry(callId, channel, at, decision, true));
    }

    private static void logLine(Entry e, Level level) {
        if (level == null || !LOG.isEnabledForLevel(level)) return;
        Decision d = e.decision();
        MDC.put(CallTag.MDC_KEY, CallTag.of(e.callId()));
        try {
            LOG.atLevel(level).log("route: {} -> {} {} client={} ({})", d.caller().number(), d.line(), d.action().word(), d.client(),
                    d.caller().callerClass().word());
        } finally {
            MDC.remove(CallTag.MDC_KEY);
        }
    }

    private void offer(Entry entry) {
        // nobody waits for the row: no future per call; a batch that fails is logged by the writer
        if (!writer.offer(entry)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) LOG.warn("call log: queue full or closed, {} decisions not logged so far", n);
        }
    }

    /** Decisions waiting to be written (the queue holds at most 50,000; beyond that they are dropped). */
    public int queued() {
        return writer.queued();
    }

    /** Decisions dropped from the log since the start because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        writer.close();
    }
}
