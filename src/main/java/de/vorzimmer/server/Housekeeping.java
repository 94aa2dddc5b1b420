package de.vorzimmer.server;


import de.vorzimmer.config.Config;
import de.vorzimmer.console.ConsoleAuth;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.console.SessionStore;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.store.Database;
import de.vorzimmer.twilio.TwilioCallStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what has aged out of the database: expired console sessions, Twilio call rows and phone-in dialogs of
 * calls long over, old PIN records, call log rows, secretaries' choices, overrides that decide nothing any more,
 * and SMS notifications sent or failed long ago, each after its {@link Periods retention period}. Messages and
 * their history are never deleted here, nor a notification still to be sent.
 *
 * <p>Runs every {@code housekeeping.interval} on a worker thread of its own, off the event loop. Each table is
 * emptied in batches of {@link #BATCH} rows, one short transaction each with a pause after a full one, so calls and
 * messages are never kept waiting for SQLite's write lock. The tables take turns, a batch each, and a table stays in
 * the round while its batches come back full: a run deletes everything due, however much, unless it reaches its
 * time budget ({@link #BUDGET}), when the rest waits for the next run. A failing table is logged and skipped, and
 * the next run tries again.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final int BATCH = 500;
    /**
     * How long one run may keep deleting. With the defaults (500 rows, 10 ms pause, hourly) this carries far more than
     * the call log of 200 calls/s (see docs/operations.md, Housekeeping).
     */
    static final Duration BUDGET = Duration.ofMinutes(5);
    static final Duration PAUSE = Duration.ofMillis(10);
    /** Twilio ends every call after at most 24 hours: a row of a call that began within them may still be needed. */
    public static final Duration LONGEST_CALL = Duration.ofHours(24);
    /** The first run after the start; later runs follow every interval. */
    static final Duration FIRST_RUN = Duration.ofMinutes(1);

    /** How long each kind of row is kept (see the {@code retention.*} keys in docs/operations.md). */
    public record Periods(Duration twilioCalls, Duration phoneInSessions, Duration phoneInPins, Duration callLog,
                          Duration callChoices, Duration overrides, Duration outbox, Duration bookVersions) {
        public Periods {
            for (Duration d : List.of(Objects.requireNonNull(twilioCalls, "twilioCalls == null"),
                    Objects.requireNonNull(phoneInSessions, "phoneInSessions == null"),
                    Objects.requireNonNull(phoneInPins, "phoneInPins == null"),
                    Objects.requireNonNull(callLog, "callLog == null"),
                    Objects.requireNonNull(callChoices, "callChoices == null"),
                    Objects.requireNonNull(overrides, "overrides == null"),
                    Objects.requireNonNull(outbox, "outbox == null"),
                    Objects.requireNonNull(bookVersions, "bookVersions == null"))) {
                if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("retention period " + d + " is not positive");
            }
        }

        public static Periods from(Config config) {
            return new Periods(config.duration(Config.RETENTION_TWILIO_CALLS),
                    config.duration(Config.RETENTION_PHONEIN_SESSIONS), config.duration(Config.RETENTION_PHONEIN_PINS),
                    config.duration(Config.RETENTION_CALL_LOG), config.duration(Config.RETENTION_CALL_CHOICES),
                    config.duration(Config.RETENTION_OVERRIDES), config.duration(Config.RETENTION_OUTBOX),
                    config.duration(Config.RETENTION_BOOK_VERSIONS));
        }
    }

    /**
     * What one run did.
     *
     * @param deleted rows deleted per kind, in run order (kinds with none left out)
     * @param failed  why the kinds that failed did (their deletes so far are kept; the next run goes on)
     */
    public record Report(Instant at, Map<String, Integer> deleted, Map<String, String> failed) {
        public Report {
            deleted = Collections.unmodifiableMap(new LinkedHashMap<>(deleted));
            failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        }

        public int total() {
            return deleted.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Deletes up to {@code limit} rows of one kind that are due at {@code now}; returns how many. Blocking. */
    @FunctionalInterface
    interface BatchDelete {
        int delete(Instant now, int limit);
    }

    private record Purge(String what, BatchDelete delete) {
    }

    private final List<Purge> purges;
    private final Clock clock;
    private final int batch;
    private final Duration budget;
    private final Duration pause;
    private final java.util.function.LongSupplier nanos;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Report last;
    private Vertx vertx;
    private WorkerExecutor worker;
    private long timer = -1;

    /** The tables it empties, each through the store of the feature that owns it. */
    public record Tables(Database database, BookStore books, OverrideStore overrides, CallLogStore callLog,
                         CallChoiceStore choices, OutboxStore outbox, SessionStore sessions, PhoneInStore phoneIn) {
        public Tables {
            Objects.requireNonNull(database, "database == null");
            Objects.requireNonNull(books, "books == null");
            Objects.requireNonNull(overrides, "overrides == null");
            Objects.requireNonNull(callLog, "callLog == null");
            Objects.requireNonNull(choices, "choices == null");
            Objects.requireNonNull(outbox, "outbox == null");
            Objects.requireNonNull(sessions, "sessions == null");
            Objects.requireNonNull(phoneIn, "phoneIn == null");
        }
    }

    public Housekeeping(Tables tables, Periods periods, Clock clock) {
        this(tables, periods, clock, BATCH, BUDGET, PAUSE, System::nanoTime);
    }

    /** @param nanos the time a run's budget is measured with (read once at the start and after each full batch) */
    Housekeeping(Tables tables, Periods periods, Clock clock, int batch, Duration budget, Duration pause,
                 java.util.function.LongSupplier nanos) {
        Objects.requireNonNull(tables, "tables == null");
        Objects.requireNonNull(periods, "periods == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + " < 1");
        Objects.requireNonNull(budget, "budget == null");
        if (budget.isZero() || budget.isNegative()) throw new IllegalArgumentException("budget " + budget + " is not positive");
        this.batch = batch;
        this.budget = budget;
        this.pause = Objects.requireNonNull(pause, "pause == null");
        this.nanos = Objects.requireNonNull(nanos, "nanos == null");
        this.purges = List.of(
                new Purge("expired console sessions", (now, n) ->
                        tables.sessions().purge(now.minus(ConsoleAuth.IDLE), now.minus(ConsoleAuth.ABSOLUTE), n)),
                new Purge("twilio call rows", (now, n) ->
                        TwilioCallStore.purge(tables.database(), now.minus(periods.twilioCalls()), now.minus(LONGEST_CALL), n)),
                new Purge("phone-in sessions", (now, n) ->
                        tables.phoneIn().purgeSessions(now.minus(periods.phoneInSessions()), now.minus(LONGEST_CALL), n)),
                new Purge("phone-in PIN records", (now, n) -> tables.phoneIn().purgePins(now.minus(periods.phoneInPins()), now, n)),
                new Purge("call log rows", (now, n) -> tables.callLog().purgeBefore(now.minus(periods.callLog()), n)),
                new Purge("call choices", (now, n) -> tables.choices().purgeBefore(now.minus(periods.callChoices()), n)),
                new Purge("overrides", (now, n) -> tables.overrides().purgeEndedBefore(now.minus(periods.overrides()), n)),
                new Purge("sent or failed SMS notifications", (now, n) ->
                        tables.outbox().purgeFinishedBefore(now.minus(periods.outbox()), n)),
                new Purge("replaced book versions", (now, n) ->
                        tables.books().purgeBefore(now.minus(periods.bookVersions()), n)));
    }

    /** Runs every {@code interval} on a worker thread of its own, the first time after a minute (or the interval). */
    public synchronized void start(Vertx vertx, Duration interval) {
        start(vertx, interval, () -> true);
    }

    /** As {@link #start(Vertx, Duration)}, but a run happens only while {@code here} (this node holds the job's lease). */
    public synchronized void start(Vertx vertx, Duration interval, java.util.function.BooleanSupplier here) {
        Objects.requireNonNull(vertx, "vertx == null");
        Objects.requireNonNull(interval, "interval == null");
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("interval " + interval + " is not positive");
        if (this.vertx != null) throw new IllegalStateException("housekeeping already started");
        this.vertx = vertx;
        // a run may take long on a big backlog; it is no blocked thread to warn about
        this.worker = vertx.createSharedWorkerExecutor("vorzimmer-housekeeping", 1, 1, TimeUnit.HOURS);
        long every = Math.max(1, interval.toMillis());
        long first = Math.max(1, Math.min(FIRST_RUN.toMillis(), every));
        this.timer = vertx.setPeriodic(first, every, id -> {
            if (!here.getAsBoolean()) return;
            if (running.get()) {
                LOG.info("housekeeping: previous run still busy, this one skipped");
                return;
            }
            runNow();
        });
    }

    /** Starts a run on the job's worker now (it must be {@link #start started}); completes with its report. */
    public Future<Report> runNow() {
        WorkerExecutor w;
        synchronized (this) {
            w = worker;
        }
        if (w == null) return Future.failedFuture(new IllegalStateException("housekeeping not started"));
        Promise<Report> done = Promise.promise();
        w.executeBlocking(this::runOnce, true).onComplete(ar -> {
            if (ar.failed()) LOG.warn("housekeeping: run failed: {}", ar.cause().toString(), ar.cause());
            done.handle(ar);
        });
        return done.future();
    }

    /**
     * One run, on the calling thread (blocking): the kinds take turns, a batch each, until none is due or the time
     * budget is spent. A kind that fails is logged and left for the next run. Logs one line if anything was deleted.
     */
    public Report runOnce() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("housekeeping run already in progress");
        }
        try {
            Instant now = clock.instant();
            long started = System.nanoTime();
            long budgetStart = nanos.getAsLong();
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, String> failed = new LinkedHashMap<>();
            List<Purge> due = new ArrayList<>(purges);
            boolean outOfTime = false;
            while (!due.isEmpty() && !outOfTime && !Thread.currentThread().isInterrupted()) {
                for (java.util.Iterator<Purge> it = due.iterator(); it.hasNext(); ) {
                    Purge p = it.next();
                    int n;
                    try {
                        n = p.delete().delete(now, batch);
                    } catch (RuntimeException e) {
                        failed.put(p.what(), e.toString());
                        LOG.warn("housekeeping: deleting {} failed after {} rows, next run tries again: {}", p.what(),
                                counts.getOrDefault(p.what(), 0), e.toString(), e);
                        it.remove();
                        continue;
                    }
                    counts.merge(p.what(), n, Integer::sum);
                    if (n < batch) {
                        it.remove();
                        continue;
                    }
                    if (nanos.getAsLong() - budgetStart >= budget.toNanos()) {
                        outOfTime = true;
                        break;
                    }
                    if (!pause()) break;
                }
            }
            Map<String, Integer> deleted = new LinkedHashMap<>();
            for (Purge p : purges) {
                int n = counts.getOrDefault(p.what(), 0);
                if (n > 0) deleted.put(p.what(), n);
            }
            Report report = new Report(now, deleted, failed);
            if (report.total() > 0) {
                List<String> parts = new ArrayList<>();
                deleted.forEach((what, n) -> parts.add(n + " " + what));
                LOG.info("housekeeping: deleted {} ({} ms){}", String.join(", ", parts),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        outOfTime ? "; time budget of " + budget.toMinutes() + " min spent, the rest waits for the next run" : "");
            }
            last = report;
            return report;
        } finally {
            running.set(false);
        }
    }

    /** Between two full batches: lets writers waiting for the database lock go first. False if interrupted. */
    private boolean pause() {
        if (pause.isZero()) return true;
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            // the server is stopping: keep the flag for the caller and end the run
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The report of the latest finished run, or null before the first. */
    public Report lastReport() {
        return last;
    }

    @Override
    public synchronized void close() {
        if (vertx == null) return;
        vertx.cancelTimer(timer);
        worker.close();
        vertx = null;
        worker = null;
    }
}
