package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that follows a PBX as a standby and then takes its lease over: the phones' device states it saw while
 * standing by (the list Asterisk sends right after the AMI connect, among them) set duty once it acts.
 */
class StandbyDeviceStateTest {
    @TempDir
    Path dir;

    @Test
    void aPhoneSeenUnregisteredWhileStandingByIsOffDutyOnceTheNodeActs() throws Exception {
        try (Stores store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast())) {
            Book book = BookLoader.load("""
                    version: 1
                    secretaries:
                      - { id: anna, endpoint: PJSIP/anna, languages: [de] }
                      - { id: ben, endpoint: PJSIP/ben, languages: [de] }
                    clients: []
                    """, PinHasher.fast());
            Clock clock = Clock.systemUTC();
            long version = store.books().save(book, "test", clock.instant());
            LiveRouting routing = new LiveRouting(store.snapshots().at(clock.instant()), clock);
            StoreWatcher watcher = new StoreWatcher(store.database(), store.snapshots(), routing, version);
            try (Messaging messaging = Messaging.start(new Messaging.Settings(null, Duration.ofSeconds(5), Duration.ofHours(1)),
                    store.database(), store.messages(), store.outbox(), () -> book, clock);
                 AsteriskLive live = AsteriskLive.standby(new AsteriskLive.Settings(null, null,
                                 new DialStrings("Local/{number}@vorzimmer-reach")), routing,
                         new CallMessages(store.messages(), store.books(), store.overrides(), routing, messaging.desk()),
                         new DevicePresence(routing, store.status(watcher::refresh)), (a, b) -> { })) {
                live.connected();
                live.deviceState("PJSIP/anna", "NOT_INUSE");
                live.deviceState("PJSIP/ben", "UNAVAILABLE");
                assertThat(store.duty().offDuty()).as("a standby writes no duty").isEmpty();

                live.act(true);

                await("ben off duty").atMost(Duration.ofSeconds(10)).until(() -> routing.snapshot().offDuty().contains("ben"));
                assertThat(store.duty().offDuty()).containsExactly("ben");
            }
        }
    }
}
