package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New calls' rows committed in groups: each caller learns whether its row was new, as with one insert each. */
class TwilioCallStoreTest {
    @TempDir
    Path dir;

    private static CallRecord call(String sid, Instant at) {
        return new CallRecord(sid, at, "mueller", "+49301234567", "+49309876543", null, Action.SCREEN, false, "de", "DE",
                List.of("client:anna"), false, null, null, null);
    }

    @Test
    void aBurstOfRowsWithRetriesStoresEachCallOnceAndSaysWhichWereNew() throws Exception {
        Instant at = Instant.parse("2026-12-01T09:00:00Z");
        try (Database db = Database.open(dir.resolve("vz.db"), Durability.NORMAL);
             TwilioCallStore store = new TwilioCallStore(db)) {
            store.insert(call("CA-before", at), at); // stored earlier: its retry in the burst is not new
            List<String> sids = new ArrayList<>();
            for (int i = 0; i < 300; i++) sids.add("CA" + i);
            for (int i = 0; i < 300; i += 10) sids.add("CA" + i); // Twilio's retries, queued with the first tries
            sids.add("CA-before");
            List<CompletableFuture<Boolean>> stored = new ArrayList<>();
            for (String sid : sids) stored.add(store.insertCommitted(call(sid, at), at));
            Map<String, Long> newRows = new java.util.HashMap<>();
            for (int i = 0; i < sids.size(); i++) {
                if (stored.get(i).get(10, TimeUnit.SECONDS)) newRows.merge(sids.get(i), 1L, Long::sum);
            }
            assertThat(newRows).hasSize(300).allSatisfy((sid, times) -> assertThat(times).isEqualTo(1L));
            assertThat(newRows).doesNotContainKey("CA-before");
            assertThat(store.find("CA299")).get().satisfies(r -> assertThat(r.screenTargets()).containsExactly("client:anna"));
            long rows = db.read(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM twilio_calls")) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            });
            assertThat(rows).isEqualTo(301);
            assertThat(sids.stream().collect(Collectors.toSet())).hasSize(301);
        }
    }
}
