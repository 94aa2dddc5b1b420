package de.vorzimmer.server;

import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.FastAgiService;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.HttpApi;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the store, builds the routing snapshot, and starts the HTTP API, the FastAGI
 * server and the store watcher. The one place where dependencies are created and wired.
 */
public final class VorzimmerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VorzimmerServer.class);
    public static final String DEMO_BOOK = "/demo/book.yaml";

    private final Config config;
    private final Store store;
    private final Vertx vertx;
    private final HttpServer http;
    private final FastAgiService agi;
    private final AsyncCallLog callLog;
    private final LiveRouting routing;
    private final long watchTimer;

    private VorzimmerServer(Config config, Store store, Vertx vertx, HttpServer http, FastAgiService agi,
                            AsyncCallLog callLog, LiveRouting routing, long watchTimer) {
        this.config = config;
        this.store = store;
        this.vertx = vertx;
        this.http = http;
        this.agi = agi;
        this.callLog = callLog;
        this.routing = routing;
        this.watchTimer = watchTimer;
    }

    /**
     * Starts everything and returns when all listeners are bound.
     *
     * @param demo load the sample book into the store if it holds none yet
     */
    public static VorzimmerServer start(Config config, boolean demo, Clock clock) throws Exception {
        LOG.info("starting with {}", config.describe());
        Store store = Store.open(config.path(Config.DB), Durability.parse(config.string(Config.DB_SYNC)), new PinHasher());
        Vertx vertx = null;
        AsyncCallLog callLog = null;
        FastAgiService agi = null;
        try {
            Instant now = clock.instant();
            if (demo && store.books().current().isEmpty()) {
                Book book = BookLoader.load(demoBookText(), new PinHasher());
                store.books().save(book, "demo", now);
                LOG.info("demo: sample book stored ({} clients)", book.clients().size());
            }
            long bookVersion = store.books().currentVersion().map(v -> v.id()).orElse(0L);
            LiveRouting routing = new LiveRouting(store.snapshots().at(now), clock);
            callLog = new AsyncCallLog(store.database(), store.calls());
            StoreWatcher watcher = new StoreWatcher(store, routing, bookVersion);
            watcher.poll();

            vertx = Vertx.vertx();
            HttpApi api = new HttpApi(routing, callLog);
            HttpServer http;
            try {
                http = vertx.createHttpServer()
                        .requestHandler(api.router(vertx))
                        .listen(config.port(Config.HTTP_PORT, true), config.string(Config.HTTP_HOST))
                        .await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("HTTP cannot listen on " + config.string(Config.HTTP_HOST) + ":"
                        + config.string(Config.HTTP_PORT) + ": " + e.getMessage(), e);
            }

            DialStrings dial = new DialStrings(config.string(Config.REACH_DIAL));
            Map<String, AgiScript> scripts = Map.of("route", new RouteScript(routing, callLog, dial));
            agi = FastAgiService.start(config.string(Config.AGI_HOST), config.port(Config.AGI_PORT, true), scripts, 16);

            Vertx v = vertx;
            long timer = vertx.setPeriodic(1_000, id -> v.executeBlocking(() -> {
                watcher.poll();
                return null;
            }, false).onFailure(e -> LOG.warn("store watch failed: {}", e.getMessage())));
            return new VorzimmerServer(config, store, vertx, http, agi, callLog, routing, timer);
        } catch (Exception | Error e) {
            if (agi != null) agi.close();
            if (vertx != null) vertx.close();
            if (callLog != null) callLog.close();
            store.close();
            throw e;
        }
    }

    static String demoBookText() throws IOException {
        try (InputStream in = VorzimmerServer.class.getResourceAsStream(DEMO_BOOK)) {
            if (in == null) throw new IOException("demo book " + DEMO_BOOK + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public int httpPort() {
        return http.actualPort();
    }

    public int agiPort() {
        return agi.port();
    }

    public LiveRouting routing() {
        return routing;
    }

    public Store store() {
        return store;
    }

    /** One line for the operator: where the server listens and what it serves. */
    public String describe() {
        var book = routing.snapshot().book().book();
        return "vorzimmer: listening http://" + config.string(Config.HTTP_HOST) + ":" + httpPort()
                + " (GET /health, POST /api/v1/route), FastAGI agi://" + config.string(Config.AGI_HOST) + ":"
                + agiPort() + "/route; db " + store.database().file() + "; book: " + book.clients().size()
                + " clients, " + book.secretaries().size() + " secretaries";
    }

    @Override
    public void close() {
        vertx.cancelTimer(watchTimer);
        agi.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not stop cleanly: {}", e.getMessage());
        }
        callLog.close();
        store.close();
        LOG.info("stopped");
    }
}
