package de.vorzimmer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.calls.CallChoices;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, each serving the same address for the lease {@code pbx test}, which node A
 * holds: a request made on node B is answered by node A's handler, and B's requester hears exactly what A answered.
 */
class HolderRequestsTest {
    static final String ADDRESS = "vorzimmer.test.choice";
    static final String LEASE = "pbx test";
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private Database.Target target;
    private Vertx vertxA;
    private Vertx vertxB;

    @BeforeEach
    void twoNodes() {
        target = TestPostgres.newDatabase("requests");
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        vertxA.close().await(5, TimeUnit.SECONDS);
        vertxB.close().await(5, TimeUnit.SECONDS);
    }

    /** Node {@code name} on its own pool and Vert.x, holding what its lease round gets, serving {@link #ADDRESS}. */
    private void node(String name, Vertx vertx, String lease) throws Exception {
        Database db = Database.open(target, Durability.FULL);
        open.add(db);
        Leases leases = new Leases(new LeaseStore(db), name, Clock.systemUTC(), Leases.Timing.STANDARD);
        open.add(leases);
        leases.register(LEASE, new Leases.Owner() {
            public void gained() {
            }

            public void lost() {
            }
        });
        leases.start();
        HolderRequests requests = HolderRequests.start(vertx, db, leases, Clock.systemUTC());
        open.add(requests);
        requests.serve(ADDRESS, lease, body -> {
            handled.add(name + " " + body.getString("callId"));
            if (body.getString("callId").startsWith("gone")) {
                return Future.failedFuture(new IllegalArgumentException("no call '" + body.getString("callId") + "' in progress"));
            }
            return Future.succeededFuture(new JsonObject().put("done", "sent to voicemail by " + name));
        }).completion().await(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(Vertx vertx, String callId, Duration timeout) throws Exception {
        return vertx.eventBus().request(ADDRESS, new JsonObject().put("callId", callId),
                        new DeliveryOptions().setSendTimeout(timeout.toMillis()))
                .toCompletionStage().toCompletableFuture().handle((r, e) -> e).get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestOnANodeWithoutTheLeaseIsAnsweredByTheHolder() throws Exception {
        node("node-a", vertxA, LEASE);
        node("node-b", vertxB, LEASE);

        JsonObject reply = vertxB.eventBus().<JsonObject>request(ADDRESS, new JsonObject().put("callId", "1764400000.1"),
                new DeliveryOptions().setSendTimeout(3_000)).await(5, TimeUnit.SECONDS).body();

        assertThat(reply.getString("done")).isEqualTo("sent to voicemail by node-a");
        assertThat(handled).containsExactly("node-a 1764400000.1");
    }

    @Test
    void onTheHolderARequestIsHandledThere() throws Exception {
        node("node-a", vertxA, LEASE);
        node("node-b", vertxB, LEASE);

        JsonObject reply = vertxA.eventBus().<JsonObject>request(ADDRESS, new JsonObject().put("callId", "1764400000.2"))
                .await(5, TimeUnit.SECONDS).body();

        assertThat(reply.getString("done")).isEqualTo("sent to voicemail by node-a");
        assertThat(handled).containsExactly("node-a 1764400000.2");
    }

    @Test
    void theHoldersRefusalReachesTheRequesterWithItsReason() throws Exception {
        node("node-a", vertxA, LEASE);
        node("node-b", vertxB, LEASE);

        Throwable refused = failure(vertxB, "gone.3", Duration.ofSeconds(3));

        assertThat(refused).isInstanceOf(ReplyException.class).hasMessage("no call 'gone.3' in progress");
        assertThat(((ReplyException) refused).failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(((ReplyException) refused).failureCode()).isEqualTo(HolderRequests.REFUSED);
        assertThat(handled).containsExactly("node-a gone.3");
    }

    @Test
    void whenNoNodeHoldsTheLeaseTheRequestIsRefusedAsUnavailable() throws Exception {
        node("node-a", vertxA, LEASE);
        node("node-b", vertxB, "pbx nobody follows");

        Throwable refused = failure(vertxB, "1764400000.4", Duration.ofSeconds(3));

        assertThat(refused).isInstanceOf(ReplyException.class).hasMessageContaining("pbx nobody follows")
                .hasMessageContaining("no node holds it");
        assertThat(((ReplyException) refused).failureCode()).isEqualTo(HolderRequests.NO_HOLDER)
                .isEqualTo(CallChoices.UNAVAILABLE);
        assertThat(handled).isEmpty();
    }

    @Test
    void aHolderThatDoesNotAnswerLeavesTheRequestToItsTimeOut() throws Exception {
        node("node-b", vertxB, "pbx held by a dead node");
        try (Database db = Database.open(target, Durability.FULL)) {
            assertThat(new LeaseStore(db).acquire("pbx held by a dead node", "node-gone", Instant.now(), Duration.ofMinutes(1)))
                    .isTrue();
        }

        Throwable unanswered = failure(vertxB, "1764400000.5", Duration.ofSeconds(1));

        assertThat(unanswered).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) unanswered).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(handled).isEmpty();
    }
}
