package de.vorzimmer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.FreshDatabase;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeasesTest {
    private static final Leases.Timing FAST = new Leases.Timing(Duration.ofMillis(1500), Duration.ofMillis(200),
            Duration.ofMillis(500));

    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    private Database db;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = fresh.db();
    }

    private Leases node(String name) {
        Leases l = new Leases(new LeaseStore(db), name, Clock.systemUTC(), FAST);
        l.register("outbox", new Leases.Owner() {
            @Override
            public void gained() {
                events.add(name + " gained");
            }

            @Override
            public void lost() {
                events.add(name + " lost");
            }
        });
        return l;
    }

    @Test
    void aLoneNodeHoldsItsLeasesWhenStartReturns() {
        try (Leases a = node("a")) {
            a.start();
            assertThat(a.held("outbox")).isTrue();
            assertThat(a.heldNames()).containsExactly("outbox");
            assertThat(events).containsExactly("a gained");
        }
        assertThat(events).containsExactly("a gained", "a lost");
    }

    @Test
    void aSecondNodeTakesOverWhenTheFirstStops() {
        Leases a = node("a");
        a.start();
        try (Leases b = node("b")) {
            b.start();
            assertThat(b.held("outbox")).isFalse();
            a.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> b.held("outbox") && events.size() == 3);
            assertThat(events).containsExactly("a gained", "a lost", "b gained");
        }
    }

    @Test
    void aNodeWhoseLeaseWasTakenStopsActingOnIt() {
        try (Leases a = node("a")) {
            a.start();
            // another node took it over (as after a pause longer than the lease: the row says so)
            db.write(c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE leases SET holder = 'z', expires_at = ?")) {
                    p.setLong(1, System.currentTimeMillis() + 60_000);
                    return p.executeUpdate();
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !a.held("outbox") && events.size() == 2);
            assertThat(events).containsExactly("a gained", "a lost");
        }
    }

    @Test
    void badTimingIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Leases.Timing(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
