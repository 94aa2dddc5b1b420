package de.vorzimmer.server;

import de.vorzimmer.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready}: whether this node can do its work now, for a load balancer or systemd's watchers. {@code 200}
 * when the store answers a query within {@link #STORE_TIMEOUT_MILLIS} and, if AMI is configured, AMI is logged in;
 * else {@code 503}. The body names each part: {@code {"ready":false,"store":"up","ami":"down"}}. Open like
 * {@code /health} (it tells nothing about the firm's data). {@code GET /health} stays the minimal "the process
 * answers".
 */
final class Readiness {
    static final long STORE_TIMEOUT_MILLIS = 2_000;

    private final Vertx vertx;
    private final Database database;
    private final BooleanSupplier ami;

    /** @param ami whether AMI is logged in, or null when no AMI is configured */
    Readiness(Vertx vertx, Database database, BooleanSupplier ami) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.database = Objects.requireNonNull(database, "database == null");
        this.ami = ami;
    }

    void mount(Router router) {
        router.get("/ready").handler(this::ready);
    }

    private void ready(RoutingContext ctx) {
        Future<Boolean> store = vertx.executeBlocking(() -> database.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                return rs.next();
            }
        }), false);
        Future<Boolean> inTime = Future.future(p -> {
            long timer = vertx.setTimer(STORE_TIMEOUT_MILLIS, id -> p.tryComplete(false));
            store.onComplete(ar -> {
                vertx.cancelTimer(timer);
                p.tryComplete(ar.succeeded() && Boolean.TRUE.equals(ar.result()));
            });
        });
        inTime.onComplete(ar -> {
            boolean storeUp = ar.succeeded() && ar.result();
            JsonObject body = new JsonObject().put("store", storeUp ? "up" : "down");
            boolean ready = storeUp;
            if (ami != null) {
                boolean amiUp = ami.getAsBoolean();
                body.put("ami", amiUp ? "up" : "down");
                ready &= amiUp;
            }
            body.put("ready", ready);
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store").end(body.encode());
        });
    }
}
