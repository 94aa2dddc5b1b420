package de.vorzimmer.bench;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calendar.CalendarStore;
import de.vorzimmer.calendar.CalendarSync;
import de.vorzimmer.calendar.FeedFetcher;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Syncs 1,000 calendar feeds (each a year of weekly events, ~20 kB) from a local Vert.x HTTP server into a SQLite
 * file, as the server's background sync does, and prints the time and the heap the views and states retain:
 * the first sync (fetch, parse, expand, store), a second one (all answered 304 Not Modified), beside a baseline in
 * the same run: the same 1,000 GETs with the bodies thrown away.
 * Usage: java ... CalendarSyncBench [feeds=1000]
 */
public final class CalendarSyncBench {
    private CalendarSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int feeds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Vertx vertx = Vertx.vertx();
        Path dir = Files.createTempDirectory("vz-calendar-bench");
        LocalDate monday = LocalDate.now(ZoneId.of("Europe/Berlin")).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .minusWeeks(4);
        String[] bodies = new String[feeds];
        long bytes = 0;
        for (int i = 0; i < feeds; i++) {
            bodies[i] = CalendarFeeds.feed(i, monday);
            bytes += bodies[i].length();
        }
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            int i = Integer.parseInt(req.path().substring(1, req.path().length() - 4));
            String etag = "\"v" + i + "\"";
            if (etag.equals(req.getHeader("If-None-Match"))) req.response().setStatusCode(304).end();
            else req.response().putHeader("Content-Type", "text/calendar").putHeader("ETag", etag).end(bodies[i]);
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + server.actualPort() + "/";
        StringBuilder yaml = new StringBuilder("version: 1\nclients:\n");
        for (int i = 0; i < feeds; i++) {
            yaml.append("  - { id: c").append(i).append(", name: C").append(i).append(", lines: [\"030 ")
                    .append(2_000_000 + i).append("\"], holidays: DE-BY, calendar: { url: \"").append(base).append(i)
                    .append(".ics\" } }\n");
        }
        Book book = BookLoader.load(yaml.toString(), PinHasher.fast());
        System.out.printf("feeds=%d, %.1f MB of iCalendar in all (%.1f kB each)%n", feeds, bytes / 1e6, bytes / 1e3 / feeds);

        // baseline: the same GETs, bodies discarded
        HttpClient client = vertx.createHttpClient();
        long b0 = System.nanoTime();
        List<Future<?>> gets = new ArrayList<>();
        for (int i = 0; i < feeds; i++) {
            gets.add(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/" + i + ".ics")
                    .compose(r -> r.send()).compose(r -> r.body()));
        }
        Future.all(gets).await(120, TimeUnit.SECONDS);
        long b1 = System.nanoTime();
        System.out.printf("baseline: %d plain GETs, bodies discarded: %.0f ms%n", feeds, (b1 - b0) / 1e6);

        try (Database db = Database.open(dir.resolve("bench.db"), Durability.FULL)) {
            BookStore books = new BookStore(db, PinHasher.fast());
            books.save(book, "bench", Clock.systemUTC().instant());
            Snapshots snapshots = new Snapshots(books, new OverrideStore(db), new DutyStore(db));
            LiveRouting routing = new LiveRouting(snapshots.at(Clock.systemUTC().instant()), Clock.systemUTC());
            long before = usedAfterGc(memory);
            CalendarSync sync = new CalendarSync(vertx, new CalendarStore(db),
                    new FeedFetcher(vertx, Duration.ofSeconds(30), 10_000_000), routing, id -> null,
                    CalendarSync.Settings.of(Duration.ofMinutes(5), Duration.ofDays(35)));
            sync.load();
            long t0 = System.nanoTime();
            List<CalendarSync.Outcome> first = sync.syncAll().await(600, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            long failed = first.stream().filter(o -> !o.ok()).count();
            int events = first.stream().mapToInt(CalendarSync.Outcome::events).sum();
            System.out.printf("first sync (fetch, parse, expand, store): %.0f ms for %d feeds (%.1f ms each), %d failed, "
                    + "%d busy events in the 36-day window%n", (t1 - t0) / 1e6, feeds, (t1 - t0) / 1e6 / feeds, failed, events);
            long after = usedAfterGc(memory);
            System.out.printf("heap retained by views and states: %.1f MB (%.1f kB per feed)%n", (after - before) / 1048576.0,
                    (after - before) / 1024.0 / feeds);
            long t2 = System.nanoTime();
            List<CalendarSync.Outcome> second = sync.syncAll().await(600, TimeUnit.SECONDS);
            long t3 = System.nanoTime();
            long unchanged = second.stream().filter(o -> o.ok() && !o.changed()).count();
            System.out.printf("second sync (conditional, 304): %.0f ms, %d of %d unchanged%n", (t3 - t2) / 1e6, unchanged, feeds);
            System.out.printf("database file: %.1f MB%n", Files.size(dir.resolve("bench.db")) / 1e6);
            sync.close();
            if (routing.snapshot().calendars().size() != feeds) throw new IllegalStateException("views missing");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
