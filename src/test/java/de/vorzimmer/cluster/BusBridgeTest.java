package de.vorzimmer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.status.DutyStore;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL database: what one publishes or changes reaches the other. */
class BusBridgeTest {
    private Database dbA;
    private Database dbB;
    private Vertx vertxA;
    private Vertx vertxB;
    private BusBridge bridgeA;
    private BusBridge bridgeB;

    @BeforeEach
    void twoNodes() {
        Database.Target target = TestPostgres.newDatabase("bus");
        dbA = Database.open(target, Durability.FULL);
        dbB = Database.open(target, Durability.FULL);
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
        bridgeA = BusBridge.start(vertxA, dbA, "a", Set.of("vorzimmer.calls"));
        bridgeB = BusBridge.start(vertxB, dbB, "b", Set.of("vorzimmer.calls"));
    }

    @AfterEach
    void stop() throws Exception {
        bridgeA.close();
        bridgeB.close();
        vertxA.close().await(5, TimeUnit.SECONDS);
        vertxB.close().await(5, TimeUnit.SECONDS);
        dbA.close();
        dbB.close();
    }

    @Test
    void aPublishOnOneNodeReachesTheOtherOnceAndIsNotEchoed() {
        List<JsonObject> onA = new CopyOnWriteArrayList<>();
        List<String> onB = new CopyOnWriteArrayList<>();
        vertxA.eventBus().<JsonObject>consumer("vorzimmer.calls", m -> onA.add(m.body())).completion().await();
        vertxB.eventBus().<JsonObject>consumer("vorzimmer.calls",
                m -> onB.add(m.body().getString("callId") + " from " + m.headers().get(BusBridge.FROM_HEADER)))
                .completion().await();
        for (int i = 1; i <= 3; i++) vertxA.eventBus().publish("vorzimmer.calls", new JsonObject().put("callId", "c" + i));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.size() == 3);
        assertThat(onB).containsExactly("c1 from a", "c2 from a", "c3 from a");
        assertThat(onA).hasSize(3);
        // B's own publish comes back to A, and nothing more reaches A after a moment
        vertxB.eventBus().publish("vorzimmer.calls", new JsonObject().put("callId", "from-b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.size() == 4);
        assertThat(onA.get(3).getString("callId")).isEqualTo("from-b");
        assertThat(onB).hasSize(4);
    }

    @Test
    void addressesNotBridgedStayOnTheirNode() {
        AtomicInteger onB = new AtomicInteger();
        vertxB.eventBus().consumer("vorzimmer.calls", m -> onB.incrementAndGet()).completion().await();
        vertxB.eventBus().consumer("private.address", m -> onB.addAndGet(100)).completion().await();
        vertxA.eventBus().publish("private.address", new JsonObject().put("x", 1));
        vertxA.eventBus().publish("vorzimmer.calls", new JsonObject().put("x", 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.get() >= 1);
        assertThat(onB.get()).isEqualTo(1);
    }

    @Test
    void aChangeCommittedOnOneNodeIsAnnouncedToTheOtherNotToItself() {
        AtomicInteger hooksB = new AtomicInteger();
        AtomicInteger hooksA = new AtomicInteger();
        dbB.onChange(hooksB::incrementAndGet);
        dbA.onChange(hooksA::incrementAndGet);
        long before = dbB.changeCount();
        new DutyStore(dbA).set("anna", false, Instant.now(), "test");
        await().atMost(Duration.ofSeconds(2)).until(() -> hooksB.get() == 1);
        assertThat(dbB.changeCount()).isGreaterThan(before);
        assertThat(new DutyStore(dbB).offDuty()).containsExactly("anna");
        assertThat(hooksA.get()).isZero();
    }

    @Test
    void aChangeRolledBackIsNotAnnounced() {
        AtomicInteger hooksB = new AtomicInteger();
        dbB.onChange(hooksB::incrementAndGet);
        try {
            dbA.write(c -> {
                dbA.announceChange(c);
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the transaction is gone, and its notification with it
        }
        new DutyStore(dbA).set("bert", true, Instant.now(), "test");
        await().atMost(Duration.ofSeconds(2)).until(() -> hooksB.get() >= 1);
        assertThat(hooksB.get()).isEqualTo(1);
    }
}
