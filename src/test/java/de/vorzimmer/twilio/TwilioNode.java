package de.vorzimmer.twilio;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * One node's Twilio side for the webhook tests, wired as the server wires it: its own SQLite file with a book saved,
 * live routing at a fixed instant that follows the stored statuses, the call store, and a Vert.x with the webhooks
 * mounted behind the signature filter on {@link #router}. A test adds its own consumers and routes, then
 * {@link #listen}s on a free port.
 */
final class TwilioNode implements AutoCloseable {
    final Stores store;
    final Clock clock;
    final LiveRouting routing;
    final StoreWatcher watcher;
    final TwilioCallStore calls;
    final Vertx vertx;
    final Router router;

    /** The node for {@code bookYaml} (its PINs hashed with {@code pins}) in {@code dir}, at {@code now}. */
    TwilioNode(Path dir, String bookYaml, PinHasher pins, Instant now, TwilioSettings settings) throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.FULL, pins);
        store.books().save(BookLoader.load(bookYaml, pins), "test", now);
        clock = Clock.fixed(now, ZoneOffset.UTC);
        routing = new LiveRouting(store.snapshots().at(now), clock);
        watcher = new StoreWatcher(store.database(), store.snapshots(), routing,
                store.books().currentVersion().orElseThrow().id());
        calls = new TwilioCallStore(store.database());
        vertx = Vertx.vertx();
        router = TwilioHttp.webhooks(vertx, settings, store, routing, calls, clock, watcher::refresh);
    }

    /** Serves {@link #router} on 127.0.0.1, a free port. */
    HttpServer listen() throws Exception {
        return TwilioHttp.serve(vertx, router);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        calls.close();
        store.close();
    }
}
