package de.vorzimmer.calendar;

import de.vorzimmer.book.CalendarSource;
import de.vorzimmer.book.Client;
import de.vorzimmer.notify.Backoff;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.CalendarView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every client's calendar view current, in the background and never in the call path: fetches each calendar
 * when it is due (every {@code refresh}, later after errors), keeps the last good copy and the fetch state in the
 * store, expands the copy into busy times for the window {@code now - 1 day .. now + horizon}, and puts the views
 * into the routing snapshot. A decision only reads the snapshot.
 *
 * <p>A fetch that fails (unreachable, HTTP error, too large, not iCalendar, a broken event) keeps the last good copy
 * in force; the view is marked stale since the first failure and the error is kept for the admin. Several nodes
 * share the store: the fetches that fall due, the window's re-expansion and the clean-up after a book change run on
 * one node only (the holder of the calendar lease, see {@code fetching}); every node picks up from the store at its
 * next tick what that node (or another node's "sync now", or the command line) fetched. A fetch is still claimed
 * first, so two never run for one calendar.
 */
public final class CalendarSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CalendarSync.class);
    /** A node holds a claimed fetch at most this long (a crashed node's claim runs out). */
    private static final Duration CLAIM = Duration.ofMinutes(2);
    static final Duration PAST = Duration.ofDays(1);
    /** The expansion is made again once its window is this much behind "now". */
    private static final Duration REWINDOW = Duration.ofHours(12);
    private static final int PARALLEL_FETCHES = 8;
    static final Duration MIN_REFRESH = Duration.ofMinutes(1);

    /** Settings from the configuration. */
    public record Settings(Duration refresh, Duration horizon, Backoff backoff) {
        public Settings {
            Objects.requireNonNull(refresh, "refresh == null");
            Objects.requireNonNull(horizon, "horizon == null");
            Objects.requireNonNull(backoff, "backoff == null");
            if (refresh.compareTo(MIN_REFRESH) < 0) refresh = MIN_REFRESH;
            if (horizon.compareTo(Duration.ofDays(1)) < 0) throw new IllegalArgumentException("horizon " + horizon + " < 1 day");
        }

        public static Settings of(Duration refresh, Duration horizon) {
            return new Settings(refresh, horizon, new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)));
        }
    }

    /** How one fetch ended, for the command line and the console. */
    public record Outcome(String clientId, String url, boolean ok, boolean changed, int events, String error) {
        public String describe() {
            return clientId + ": " + (ok ? (changed ? "fetched, " + events + " busy events in the window" : "unchanged")
                    : "failed: " + error);
        }
    }

    private final Vertx vertx;
    private final CalendarStore store;
    private final FeedFetcher fetcher;
    private final LiveRouting routing;
    private final Function<String, FeedFetcher.Credentials> credentials;
    private final Settings settings;
    private final WorkerExecutor worker;
    private final BooleanSupplier fetching;
    private final Map<String, FeedState> states = new ConcurrentHashMap<>();
    private final Map<String, CalendarView> views = new ConcurrentHashMap<>();
    /** The fetch running for a client; a second request for it joins the first. */
    private final Map<String, Future<Outcome>> inFlight = new ConcurrentHashMap<>();
    private volatile Instant lastSeen = Instant.EPOCH;
    private volatile BookIndex lastBook;
    private long timer = -1;

    public CalendarSync(Vertx vertx, CalendarStore store, FeedFetcher fetcher, LiveRouting routing,
                        Function<String, FeedFetcher.Credentials> credentials, Settings settings) {
        this(vertx, store, fetcher, routing, credentials, settings, () -> true);
    }

    /**
     * @param fetching whether this node does the background work that must happen once among the nodes sharing the
     *                 store (due fetches, re-expansion, clean-up); asked at every tick, so the work moves with it
     */
    public CalendarSync(Vertx vertx, CalendarStore store, FeedFetcher fetcher, LiveRouting routing,
                        Function<String, FeedFetcher.Credentials> credentials, Settings settings, BooleanSupplier fetching) {
        this.fetching = Objects.requireNonNull(fetching, "fetching == null");
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.credentials = Objects.requireNonNull(credentials, "credentials == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.worker = vertx.createSharedWorkerExecutor("vorzimmer-calendar", 2);
    }

    /**
     * Reads the stored states and puts every client's view into the routing snapshot (blocking: JDBC), so the
     * first call after a restart already has the last good copies. Then {@link #start} the background work.
     */
    public void load() {
        for (FeedState s : store.all()) remember(s);
        rebuildAll();
    }

    /** Starts the periodic work: due fetches, changes by other processes, the moving window. */
    public void start(Duration tick) {
        timer = vertx.setPeriodic(tick.toMillis(), id -> tick());
    }

    /** One round of the background work; returns when it was started, not when the fetches end. */
    public Future<Void> tick() {
        return worker.executeBlocking(() -> {
            Instant now = routing.now();
            boolean once = fetching.getAsBoolean();
            for (FeedState s : store.changedSince(lastSeen)) {
                if (s.equals(states.get(s.clientId()))) continue;
                remember(s);
                rebuild(s.clientId());
            }
            BookIndex book = routing.snapshot().book();
            if (book != lastBook) {
                lastBook = book;
                if (once) store.retainOnly(calendarClients(book).keySet());
                states.keySet().retainAll(calendarClients(book).keySet());
                rebuildAll();
            } else {
                rewindow(now, once);
            }
            publish();
            return once ? due(now) : List.<Client>of();
        }, false).compose(due -> {
            for (Client c : due) {
                if (inFlight.size() >= PARALLEL_FETCHES) break;
                if (inFlight.containsKey(c.id())) continue;
                sync(c, false);
            }
            return Future.<Void>succeededFuture();
        }).onFailure(e -> LOG.warn("calendar sync: round failed: {}", e.getMessage()));
    }

    /** Fetches one client's calendar now (not waiting for its turn; never twice at once). */
    public Future<Outcome> syncNow(String clientId) {
        BookIndex.ClientEntry e = routing.snapshot().book().client(clientId);
        if (e == null || e.client().calendar() == null) {
            return Future.failedFuture(new IllegalArgumentException("client '" + clientId + "' has no calendar in the book"));
        }
        return sync(e.client(), true);
    }

    /** Fetches every calendar of the book now. */
    public Future<List<Outcome>> syncAll() {
        List<Future<Outcome>> all = new ArrayList<>();
        for (Client c : calendarClients(routing.snapshot().book()).values()) all.add(sync(c, true));
        return Future.join(all).transform(ar -> {
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : all) {
                out.add(f.succeeded() ? f.result() : new Outcome("?", "", false, false, 0, String.valueOf(f.cause().getMessage())));
            }
            return Future.succeededFuture(out);
        });
    }

    /** The stored state of a client's calendar (as this node last saw it). */
    public FeedState state(String clientId) {
        return states.get(clientId);
    }

    public List<FeedState> states() {
        return List.copyOf(states.values());
    }

    private synchronized Future<Outcome> sync(Client c, boolean force) {
        Future<Outcome> running = inFlight.get(c.id());
        if (running != null) return running;
        Future<Outcome> f = fetch(c, force);
        if (!f.isComplete()) {
            inFlight.put(c.id(), f);
            f.onComplete(ar -> inFlight.remove(c.id(), f));
        }
        return f;
    }

    private Future<Outcome> fetch(Client c, boolean force) {
        CalendarSource source = c.calendar();
        Instant now = routing.now();
        Instant from = now.minus(PAST);
        Instant to = now.plus(settings.horizon());
        return worker.executeBlocking(() -> store.claim(c.id(), source.url(), now, now.plus(CLAIM), force), false)
                .compose(claimed -> {
                    if (!claimed) {
                        return Future.succeededFuture(new Outcome(c.id(), source.url(), false, false, 0,
                                "another node is fetching this calendar"));
                    }
                    FeedState s = states.get(c.id());
                    boolean sameUrl = s != null && s.url().equals(source.url());
                    FeedFetcher.Request req = new FeedFetcher.Request(source, credentials.apply(c.id()),
                            sameUrl && s.hasCopy() ? s.etag() : null, sameUrl && s.hasCopy() ? s.lastModified() : null,
                            from, to);
                    return fetcher.fetch(req).transform(ar -> worker.executeBlocking(
                            () -> record(c, source, ar.succeeded() ? ar.result() : null, ar.cause(), from, to), false));
                })
                .onSuccess(o -> {
                    if (!o.ok()) LOG.warn("calendar {}: {}", c.id(), o.error());
                    else if (o.changed()) LOG.info("calendar {}: {} busy events in the window", c.id(), o.events());
                });
    }

    /** Stores what a fetch brought (worker thread) and updates the client's view. */
    private Outcome record(Client c, CalendarSource source, FeedFetcher.Result result, Throwable failure,
                           Instant from, Instant to) {
        Instant now = routing.now();
        String url = source.url();
        try {
            if (failure != null) throw failure instanceof CalendarException ce ? ce
                    : new CalendarException(url + ": " + failure.getMessage(), failure);
            if (result instanceof FeedFetcher.Unchanged) {
                store.unchanged(c.id(), url, now, now.plus(jitter(settings.refresh())));
                FeedState s = store.get(c.id()).orElse(null);
                if (s != null && (!s.hasCopy() || s.expandedTo().isBefore(to.minus(REWINDOW)))) {
                    expandCopy(c, s, from, to, now);
                }
                refresh(c.id());
                return new Outcome(c.id(), url, true, false, 0, null);
            }
            FeedFetcher.Fetched f = (FeedFetcher.Fetched) result;
            List<CalendarView.Busy> busy = Expansion.busy(IcsParser.parse(f.text()), c.timezone(), from, to);
            store.good(c.id(), url, f.etag(), f.lastModified(), f.text(), busy, from, to, now,
                    now.plus(jitter(settings.refresh())));
            refresh(c.id());
            return new Outcome(c.id(), url, true, true, busy.size(), null);
        } catch (CalendarException e) {
            String error = e.getMessage().startsWith(url) || e.getMessage().startsWith(source.fetchUrl())
                    ? e.getMessage() : url + ": " + e.getMessage();
            FeedState s = states.get(c.id());
            int failures = s == null ? 1 : s.failures() + 1;
            store.failed(c.id(), url, error, now, now.plus(settings.backoff().delay(failures,
                    ThreadLocalRandom.current()::nextDouble)));
            refresh(c.id());
            return new Outcome(c.id(), url, false, false, 0, error);
        } catch (Throwable t) {
            // a bug or an exhausted resource must not end the background work; the admin sees it as an error
            LOG.error("calendar {}: unexpected failure", c.id(), t);
            String error = url + ": internal error: " + t;
            store.failed(c.id(), url, error, now, now.plus(settings.backoff().cap()));
            refresh(c.id());
            return new Outcome(c.id(), url, false, false, 0, error);
        }
    }

    /** Expands the stored copy again for the current window (after a restart, or as days pass). */
    private void expandCopy(Client c, FeedState s, Instant from, Instant to, Instant now) {
        String text = store.copy(c.id()).orElse(null);
        if (text == null) return;
        try {
            List<CalendarView.Busy> busy = Expansion.busy(IcsParser.parse(text), c.timezone(), from, to);
            store.expanded(c.id(), s.url(), busy, from, to, now);
        } catch (CalendarException e) {
            LOG.warn("calendar {}: the stored copy cannot be expanded again: {}", c.id(), e.getMessage());
        }
    }

    private void rewindow(Instant now, boolean once) {
        Instant from = now.minus(PAST);
        Instant to = now.plus(settings.horizon());
        Map<String, Client> clients = calendarClients(routing.snapshot().book());
        // the copies are expanded again on the fetching node; the others read the result from the store
        for (FeedState s : once ? states.values() : List.<FeedState>of()) {
            Client c = clients.get(s.clientId());
            if (c == null || !s.hasCopy() || s.expandedTo() == null) continue;
            if (s.expandedTo().isBefore(to.minus(REWINDOW))) {
                expandCopy(c, s, from, to, now);
                refresh(c.id());
            }
        }
        // views without a copy (holidays only, never fetched) move with the window too
        if (lastBuild == null || lastBuild.isBefore(now.minus(REWINDOW))) rebuildAll();
    }

    private volatile Instant lastBuild;

    private List<Client> due(Instant now) {
        List<Client> out = new ArrayList<>();
        for (Client c : calendarClients(routing.snapshot().book()).values()) {
            FeedState s = states.get(c.id());
            if (inFlight.containsKey(c.id())) continue;
            if (s == null || !s.url().equals(c.calendar().url()) || !s.nextAt().isAfter(now)) out.add(c);
        }
        return out;
    }

    private void refresh(String clientId) {
        store.get(clientId).ifPresent(this::remember);
        rebuild(clientId);
        publish();
    }

    private void remember(FeedState s) {
        states.put(s.clientId(), s);
        if (s.updatedAt() != null && s.updatedAt().isAfter(lastSeen)) lastSeen = s.updatedAt();
    }

    private void rebuildAll() {
        Instant now = routing.now();
        lastBuild = now;
        CalendarViews builder = new CalendarViews();
        views.clear();
        for (BookIndex.ClientEntry e : routing.snapshot().book().clients()) {
            CalendarView v = view(builder, e.client(), now);
            if (v != CalendarView.NONE) views.put(e.client().id(), v);
        }
        publish();
    }

    private void rebuild(String clientId) {
        BookIndex.ClientEntry e = routing.snapshot().book().client(clientId);
        if (e == null) return;
        CalendarView v = view(new CalendarViews(), e.client(), routing.now());
        if (v == CalendarView.NONE) views.remove(clientId);
        else views.put(clientId, v);
    }

    private CalendarView view(CalendarViews builder, Client c, Instant now) {
        FeedState s = c.calendar() == null ? null : states.get(c.id());
        if (s != null && !s.url().equals(c.calendar().url())) s = null;
        if (s == null || !s.hasCopy()) {
            Instant stale = s == null ? null : s.failingSince();
            return builder.view(c, null, now.minus(PAST), now.plus(settings.horizon()), stale);
        }
        return builder.view(c, s.busy(), s.expandedFrom(), s.expandedTo(), s.failingSince());
    }

    private void publish() {
        Map<String, CalendarView> copy = Map.copyOf(views);
        routing.update(s -> s.withCalendars(copy));
    }

    private static Map<String, Client> calendarClients(BookIndex book) {
        Map<String, Client> out = new HashMap<>();
        for (BookIndex.ClientEntry e : book.clients()) if (e.client().calendar() != null) out.put(e.client().id(), e.client());
        return out;
    }

    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms - ms / 10 + ThreadLocalRandom.current().nextLong(ms / 5 + 1));
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        worker.close();
    }
}
