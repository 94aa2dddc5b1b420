package de.vorzimmer.cluster;

import de.vorzimmer.store.Database;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-bus requests for work only the holder of a lease may do (the console's choices on a PBX's calls): a request
 * on a served address is handled here while this node holds the lease, and otherwise carried to the node that does,
 * through PostgreSQL notifications on {@link #CHANNEL}, whose answer comes back the same way (request/reply across
 * nodes, which {@link BusBridge}'s publishes cannot do). The requester always hears the real outcome: the holder's
 * reply or its refusal (its failure code and message), or {@link #NO_HOLDER} when no node holds the lease. A holder
 * that does not answer (it died and its lease has not run out yet) is not answered for: the requester's own time-out
 * tells, as for a PBX that does not answer.
 *
 * <p>On SQLite (one node, no notifications) nothing is carried: a request this node cannot handle is refused with
 * {@link #NO_HOLDER}.
 */
public final class HolderRequests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HolderRequests.class);
    public static final String CHANNEL = "vorzimmer_requests";
    /** The failure code of a request that no node can handle now: nobody holds its lease (HTTP's "unavailable"). */
    public static final int NO_HOLDER = 503;
    /** The failure code of a handler's failure that is no {@link ReplyException}: a refusal. */
    public static final int REFUSED = 409;
    /** How long a request waits for a holder that does not answer before it is forgotten here. */
    static final Duration FORGET_AFTER = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Context context;
    private final Database database;
    private final Leases leases;
    private final LeaseStore store;
    private final Clock clock;
    private final NotifyChannel channel;
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

    private record Served(String lease, Function<JsonObject, Future<JsonObject>> handler) {
    }

    private HolderRequests(Vertx vertx, Database database, Leases leases, Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.database = database;
        this.leases = leases;
        this.store = new LeaseStore(database);
        this.clock = clock;
        // requests and replies leave in order
        this.channel = new NotifyChannel(database, CHANNEL, "holder-requests");
    }

    /** Carries requests between this node ({@code leases.holder()}) and the others on {@code database}. */
    public static HolderRequests start(Vertx vertx, Database database, Leases leases, Clock clock) {
        Objects.requireNonNull(vertx, "vertx == null");
        Objects.requireNonNull(database, "database == null");
        Objects.requireNonNull(leases, "leases == null");
        Objects.requireNonNull(clock, "clock == null");
        HolderRequests requests = new HolderRequests(vertx, database, leases, clock);
        if (database.shared()) requests.channel.listen(requests::received);
        return requests;
    }

    /**
     * Consumes {@code address} on this node: each request is answered by {@code handler} on the holder of
     * {@code lease}, this node or another. {@code handler} completes with the reply, or fails (a {@link ReplyException}
     * keeps its code; anything else is {@link #REFUSED} with its message).
     */
    public MessageConsumer<JsonObject> serve(String address, String lease, Function<JsonObject, Future<JsonObject>> handler) {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(lease, "lease == null");
        Objects.requireNonNull(handler, "handler == null");
        if (served.putIfAbsent(address, new Served(lease, handler)) != null) {
            throw new IllegalArgumentException("address '" + address + "' served twice");
        }
        return vertx.eventBus().<JsonObject>consumer(address, msg -> handle(address, msg.body()).onComplete(ar -> {
            if (ar.succeeded()) {
                msg.reply(ar.result());
            } else if (!(ar.cause() instanceof Unanswered)) {
                ReplyException r = asReply(ar.cause());
                msg.fail(r.failureCode(), r.getMessage());
            }
            // unanswered: no reply, so the requester's time-out speaks (the holder may have done it or not)
        }));
    }

    private Future<JsonObject> handle(String address, JsonObject body) {
        Served s = served.get(address);
        if (leases.held(s.lease())) return run(s, body);
        if (!database.shared()) return Future.failedFuture(noHolder(s.lease(), "this node does not hold it"));
        return vertx.executeBlocking(() -> holder(s.lease()), false).compose(holder -> {
            if (holder.isEmpty()) return Future.failedFuture(noHolder(s.lease(), "no node holds it now"));
            if (holder.get().equals(leases.holder())) {
                // the table still names this node, whose lease ran out here: nobody may act until another takes it
                return Future.failedFuture(noHolder(s.lease(), "this node's lease ran out and no other node has taken it yet"));
            }
            return forward(holder.get(), address, body);
        });
    }

    private Optional<String> holder(String lease) {
        return store.get(lease).filter(l -> l.expiresAt().isAfter(clock.instant())).map(LeaseStore.Lease::holder);
    }

    private static Future<JsonObject> run(Served s, JsonObject body) {
        try {
            return s.handler().apply(body);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<JsonObject> forward(String to, String address, JsonObject body) {
        String id = UUID.randomUUID().toString();
        String payload = new JsonObject().put("k", "request").put("id", id).put("from", leases.holder()).put("to", to)
                .put("a", address).put("b", body).encode();
        if (NotifyChannel.bytes(payload) > NotifyChannel.MAX_BYTES) {
            return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, REFUSED,
                    "request on " + address + " too large to carry to node " + to));
        }
        Promise<JsonObject> answer = Promise.promise();
        pending.put(id, answer);
        vertx.setTimer(FORGET_AFTER.toMillis(), t -> {
            if (pending.remove(id) != null) answer.tryFail(new Unanswered(to));
        });
        channel.send(payload, e -> {
            if (pending.remove(id) != null) {
                answer.tryFail(noHolder(address, "cannot reach node " + to + " through the database: " + e.getMessage()));
            }
        });
        return answer.future();
    }

    /** A notification for any node; only those addressed to this one count. On the listener thread. */
    private void received(JsonObject o) {
        if (!leases.holder().equals(o.getString("to"))) return;
        String id = o.getString("id");
        if (id == null) return;
        if ("reply".equals(o.getString("k"))) {
            Promise<JsonObject> answer = pending.remove(id);
            if (answer == null) return; // forgotten: too late
            if (Boolean.TRUE.equals(o.getBoolean("ok"))) {
                answer.tryComplete(o.getJsonObject("b", new JsonObject()));
            } else {
                answer.tryFail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, o.getInteger("code", REFUSED),
                        o.getString("m")));
            }
            return;
        }
        String from = o.getString("from");
        String address = o.getString("a");
        JsonObject body = o.getJsonObject("b");
        if (from == null || address == null || body == null) return;
        context.runOnContext(v -> answer(from, id, address, body));
    }

    /** A request another node carried here: handled if this node still holds the lease, else refused. */
    private void answer(String from, String id, String address, JsonObject body) {
        Served s = served.get(address);
        Future<JsonObject> outcome;
        if (s == null) outcome = Future.failedFuture(noHolder(address, "node " + leases.holder() + " does not serve it"));
        else if (!leases.held(s.lease())) outcome = Future.failedFuture(noHolder(s.lease(), "node " + leases.holder() + " no longer holds it"));
        else outcome = run(s, body);
        outcome.onComplete(ar -> {
            JsonObject reply = new JsonObject().put("k", "reply").put("id", id).put("to", from);
            if (ar.succeeded()) {
                reply.put("ok", true).put("b", ar.result() == null ? new JsonObject() : ar.result());
            } else {
                ReplyException r = asReply(ar.cause());
                reply.put("ok", false).put("code", r.failureCode()).put("m", r.getMessage());
            }
            channel.send(reply.encode(),
                    e -> LOG.warn("requests: cannot answer node {} on {}: {}", from, address, e.getMessage()));
        });
    }

    private static ReplyException noHolder(String lease, String why) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, NO_HOLDER, "no node can act for '" + lease + "': " + why);
    }

    private static ReplyException asReply(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : t;
        if (cause instanceof ReplyException r) return r;
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, REFUSED, String.valueOf(cause.getMessage()));
    }

    /** The holder never answered: no reply is given, so the requester's own time-out tells. */
    private static final class Unanswered extends RuntimeException {
        Unanswered(String node) {
            super("node " + node + " did not answer", null, false, false);
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
