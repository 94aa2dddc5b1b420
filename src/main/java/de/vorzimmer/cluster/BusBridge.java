package de.vorzimmer.cluster;

import de.vorzimmer.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the live state that every node's console needs (calls ringing, answered, missed; decisions for the node
 * that follows the PBX; alerts) from one node's event bus to the others', through PostgreSQL notifications on
 * {@link #CHANNEL}: a publish on one of the bridged addresses goes out as one {@code pg_notify} and is published again
 * on each other node's bus, marked with the node it came from (so it is not sent back). The database every node
 * already shares carries it; there is no second membership to configure, and PostgreSQL delivers notifications in
 * commit order to every listener. Only publishes of JSON objects are bridged; a payload over {@link NotifyChannel#MAX_BYTES} is
 * not (it is logged), since PostgreSQL limits a notification to 8000 bytes ({@link NotifyChannel}).
 */
public final class BusBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BusBridge.class);
    public static final String CHANNEL = "vorzimmer_bus";
    /** The header that marks a message another node published. */
    public static final String FROM_HEADER = "vorzimmer-node";

    private final Vertx vertx;
    private final Database database;
    private final String node;
    private final Set<String> addresses;
    private final NotifyChannel channel;

    private BusBridge(Vertx vertx, Database database, String node, Set<String> addresses) {
        this.vertx = vertx;
        this.database = database;
        this.node = node;
        this.addresses = Set.copyOf(addresses);
        // notifications leave in the order they were published
        this.channel = new NotifyChannel(database, CHANNEL, "bus-bridge");
    }

    /** Bridges publishes on {@code addresses} between this node ({@code node}) and every other one on {@code database}. */
    public static BusBridge start(Vertx vertx, Database database, String node, Set<String> addresses) {
        Objects.requireNonNull(vertx, "vertx == null");
        Objects.requireNonNull(database, "database == null");
        Objects.requireNonNull(node, "node == null");
        BusBridge bridge = new BusBridge(vertx, database, node, addresses);
        bridge.channel.listen(bridge::received);
        vertx.eventBus().addOutboundInterceptor(bridge::outbound);
        LOG.info("live state shared with the other nodes through the database ({}): {}", CHANNEL, bridge.addresses);
        return bridge;
    }

    private void outbound(DeliveryContext<Object> ctx) {
        try {
            var m = ctx.message();
            if (!ctx.send() && addresses.contains(m.address()) && m.headers().get(FROM_HEADER) == null
                    && m.body() instanceof JsonObject body) {
                String payload = new JsonObject().put("n", node).put("a", m.address()).put("b", body).encode();
                int bytes = NotifyChannel.bytes(payload);
                if (bytes > NotifyChannel.MAX_BYTES) {
                    LOG.warn("bus: {} bytes on {} are too many for the other nodes; not shared", bytes, m.address());
                } else {
                    channel.send(payload, e -> LOG.warn("bus: cannot share with the other nodes: {}", e.getMessage()));
                }
            }
        } finally {
            ctx.next();
        }
    }

    private void received(JsonObject o) {
        String from = o.getString("n");
        if (node.equals(from) || from == null) return;
        String address = o.getString("a");
        JsonObject body = o.getJsonObject("b");
        if (address == null || body == null || !addresses.contains(address)) return;
        vertx.eventBus().publish(address, body, new DeliveryOptions().addHeader(FROM_HEADER, from));
    }

    @Override
    public void close() {
        channel.close();
    }
}
