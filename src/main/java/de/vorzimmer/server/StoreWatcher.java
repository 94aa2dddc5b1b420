package de.vorzimmer.server;

import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.store.Database;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the routing snapshot in step with the store. Writes by this process call {@link #refresh()};
 * writes by other processes (the CLI, another node) move {@link Database#changeCount()} (SQLite's
 * {@code data_version}; on PostgreSQL the changes other nodes announce), which {@link #poll()} checks. The book is parsed again only when a new book version was stored.
 */
public final class StoreWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWatcher.class);

    private final Database database;
    private final Snapshots snapshots;
    private final LiveRouting routing;
    private long dataVersion = -1;
    private long bookVersion;

    public StoreWatcher(Database database, Snapshots snapshots, LiveRouting routing, long bookVersion) {
        this.database = database;
        this.snapshots = snapshots;
        this.routing = routing;
        this.bookVersion = bookVersion;
    }

    /** Blocking (JDBC): call off the event loop. */
    public synchronized void poll() {
        long v = database.changeCount();
        if (v != dataVersion) {
            boolean first = dataVersion < 0;
            dataVersion = v;
            if (!first) refresh();
        }
    }

    /** Reloads overrides and duty, and the book if a newer version was stored. Blocking (JDBC). */
    public synchronized void refresh() {
        Instant now = routing.now();
        long latest = snapshots.bookVersion();
        if (latest != bookVersion) {
            bookVersion = latest;
            var fresh = snapshots.at(now);
            // the calendar views are kept by the calendar feature, which rebuilds them for the new book
            routing.update(old -> fresh.withCalendars(old.calendars()));
            LOG.info("book version {} in force: {} clients", latest, routing.snapshot().book().book().clients().size());
            return;
        }
        RoutingSnapshot current = routing.snapshot();
        RoutingSnapshot fresh = snapshots.refreshed(current, now);
        // a concurrent book swap wins: only replace the snapshot this refresh was computed from
        routing.update(s -> s == current ? fresh : s.withLive(fresh.live()).withOffDuty(fresh.offDuty()));
    }
}
