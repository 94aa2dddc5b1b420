package de.vorzimmer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(6);

    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    private Database db;
    private LeaseStore leases;

    @BeforeEach
    void open() {
        db = fresh.db();
        leases = new LeaseStore(db);
    }

    @Test
    void theFirstNodeGetsAFreeLeaseAndTheSecondWaits() {
        assertThat(leases.acquire("outbox", "a", T0, TTL)).isTrue();
        assertThat(leases.acquire("outbox", "b", T0.plusSeconds(1), TTL)).isFalse();
        assertThat(leases.get("outbox")).hasValueSatisfying(l -> {
            assertThat(l.holder()).isEqualTo("a");
            assertThat(l.expiresAt()).isEqualTo(T0.plus(TTL));
        });
    }

    @Test
    void theHolderRenewsAndKeepsWhenItFirstGotIt() {
        leases.acquire("outbox", "a", T0, TTL);
        assertThat(leases.acquire("outbox", "a", T0.plusSeconds(2), TTL)).isTrue();
        assertThat(leases.acquire("outbox", "b", T0.plusSeconds(7), TTL)).as("renewed until T0+8s").isFalse();
        var l = leases.get("outbox").orElseThrow();
        assertThat(l.acquiredAt()).isEqualTo(T0);
        assertThat(l.renewedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(l.expiresAt()).isEqualTo(T0.plusSeconds(8));
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderCannotRenewIt() {
        leases.acquire("outbox", "a", T0, TTL);
        assertThat(leases.acquire("outbox", "b", T0.plus(TTL).plusMillis(1), TTL)).isTrue();
        assertThat(leases.acquire("outbox", "a", T0.plus(TTL).plusMillis(2), TTL)).isFalse();
        assertThat(leases.get("outbox").orElseThrow().holder()).isEqualTo("b");
        assertThat(leases.get("outbox").orElseThrow().acquiredAt()).isEqualTo(T0.plus(TTL).plusMillis(1));
    }

    @Test
    void aReleasedLeaseIsFreeAtOnceAndOnlyItsHolderCanReleaseIt() {
        leases.acquire("digests", "a", T0, TTL);
        assertThat(leases.release("digests", "b")).isFalse();
        assertThat(leases.release("digests", "a")).isTrue();
        assertThat(leases.acquire("digests", "b", T0.plusMillis(1), TTL)).isTrue();
    }

    @Test
    void leasesAreIndependentByName() {
        assertThat(leases.acquire("outbox", "a", T0, TTL)).isTrue();
        assertThat(leases.acquire("housekeeping", "b", T0, TTL)).isTrue();
        assertThat(leases.all()).extracting(LeaseStore.Lease::holder).containsExactly("b", "a");
    }
}
