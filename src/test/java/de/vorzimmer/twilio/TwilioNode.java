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
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node's Twilio side for the webhook tests, wired as the server wires it: its own SQLite file with a book saved,
 * live routing at a fixed instant that follows the stored statuses, the call store, and a Vert.x with the webhooks
 * mounted behind the signature filter on {@link #router}. A test adds its own consumers and routes, then
 * {@link #listen}s on a free port; {@link #post} then speaks to it as Twilio does, signing for the public URL.
 */
final class TwilioNode implements AutoCloseable {
    final Stores store;
    final Clock clock;
    final LiveRouting routing;
    final StoreWatcher watcher;
    final TwilioCallStore calls;
    final Vertx vertx;
    final Router router;
    /** Signs as Twilio does, with the node's auth token, independently of the SDK's validator. */
    final TwilioSigner signer;
    final HttpClient http = TwilioHttp.client();
    private final String publicUrl;
    private HttpServer server;

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
        signer = new TwilioSigner(settings.authToken());
        publicUrl = settings.publicUrl();
    }

    /** Serves {@link #router} on 127.0.0.1, a free port. */
    void listen() throws Exception {
        server = TwilioHttp.serve(vertx, router);
    }

    /** The local URL of {@code pathAndQuery} on this node. */
    String local(String pathAndQuery) {
        return "http://127.0.0.1:" + server.actualPort() + pathAndQuery;
    }

    /** Signs as Twilio would for the public URL and posts to this node. */
    HttpResponse<String> post(String pathAndQuery, Map<String, String> form) throws Exception {
        return send(pathAndQuery, form, signer.sign(publicUrl + pathAndQuery, form));
    }

    /** Posts to this node with {@code signature} (none if null). */
    HttpResponse<String> send(String pathAndQuery, Map<String, String> form, String signature) throws Exception {
        return TwilioHttp.send(http, local(""), pathAndQuery, form, signature);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        calls.close();
        store.close();
    }
}
