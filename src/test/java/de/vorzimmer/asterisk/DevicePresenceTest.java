package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevicePresenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "UNAVAILABLE, false", "INVALID, false", "UNKNOWN, false", "NOT_INUSE, true", "INUSE, true",
        "RINGING, true", "RINGINUSE, true", "ONHOLD, true", "BUSY, true", "not_inuse, true", "SOMETHING, -"})
    void deviceStateMeansDuty(String state, Boolean onDuty) {
        assertThat(DevicePresence.onDuty(state)).isEqualTo(Optional.ofNullable(onDuty));
    }

    @Test
    void onlyRegistrationChangesAreWrittenAndRoutingSeesThem() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);
        try (Stores store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, new PinHasher())) {
            Book book = BookLoader.load("""
                    version: 1
                    secretaries:
                      - { id: anna, endpoint: PJSIP/anna, languages: [de] }
                    clients: []
                    """, new PinHasher());
            long version = store.books().save(book, "test", clock.instant());
            LiveRouting routing = new LiveRouting(store.snapshots().at(clock.instant()), clock);
            StoreWatcher watcher = new StoreWatcher(store.database(), store.snapshots(), routing, version);
            DevicePresence presence = new DevicePresence(routing, store.status(watcher::refresh));

            assertThat(presence.deviceState("PJSIP/anna", "UNAVAILABLE")).contains("anna");
            assertThat(routing.snapshot().offDuty()).containsExactly("anna");
            assertThat(presence.deviceState("PJSIP/anna", "UNAVAILABLE")).isEmpty();
            assertThat(presence.deviceState("PJSIP/anna", "NOT_INUSE")).contains("anna");
            assertThat(routing.snapshot().offDuty()).isEmpty();
            // the console sets her off duty; her phone going busy and idle does not undo that
            store.duty().set("anna", false, clock.instant(), "console");
            watcher.refresh();
            assertThat(presence.deviceState("PJSIP/anna", "INUSE")).isEmpty();
            assertThat(presence.deviceState("PJSIP/anna", "NOT_INUSE")).isEmpty();
            assertThat(store.duty().offDuty()).containsExactly("anna");
            // not a secretary's device
            assertThat(presence.deviceState("PJSIP/trunk", "UNAVAILABLE")).isEmpty();
        }
    }
}
