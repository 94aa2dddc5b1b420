package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.PinKeys;
import de.vorzimmer.book.PinPepper;
import de.vorzimmer.config.Config;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database whose book holds unkeyed PIN hashes (from before the server had a key) is keyed at start-up: the key file
 * is made beside the database, the book in force then holds keyed hashes only, and the clients' PINs still verify.
 */
class PinKeyingTest {
    @TempDir
    Path dir;

    private VorzimmerServer start(Path db) throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, db.toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, "0");
        return VorzimmerServer.start(Config.load(null, Map.of(), o), false, Clock.systemUTC());
    }

    private static Client client(BookStore books, String id) {
        return books.current().orElseThrow().clients().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void unkeyedPinHashesAreKeyedAtStartAndKeepOpeningThePhoneInLine() throws Exception {
        Path db = dir.resolve("data/vz.db");
        long before;
        try (Stores store = Stores.open(db, Durability.FULL, PinHasher.fast())) {
            before = store.books().save(BookLoader.load(VorzimmerServer.demoBookText(), PinHasher.fast()), "test",
                    Instant.now());
            assertThat(PinHasher.isKeyed(client(store.books(), "mueller").pinHash())).isFalse();
        }
        Path keyFile = dir.resolve("data/" + PinPepper.DEFAULT_FILE_NAME);
        assertThat(keyFile).doesNotExist();

        VorzimmerServer server = start(db);
        long after;
        try {
            BookStore books = Stores.on(server.database()).books();
            after = books.currentVersionId();
            assertThat(after).isGreaterThan(before);
            assertThat(books.currentVersion().orElseThrow().source()).isEqualTo(PinKeys.SOURCE);
            assertThat(books.current().orElseThrow().clients()).filteredOn(c -> c.pinHash() != null).isNotEmpty()
                    .allSatisfy(c -> assertThat(PinHasher.isKeyed(c.pinHash())).isTrue());
            assertThat(keyFile).exists();
            PinHasher withKey = PinHasher.fast().withPepper(PinPepper.load(keyFile));
            String hash = client(books, "mueller").pinHash();
            assertThat(withKey.verify("4711", hash)).isTrue();
            assertThat(PinHasher.fast().verify("4711", hash)).as("the database alone tests no PIN").isFalse();
        } finally {
            server.close();
        }

        // a second start finds nothing to key: no new version
        server = start(db);
        try {
            assertThat(Stores.on(server.database()).books().currentVersionId()).isEqualTo(after);
        } finally {
            server.close();
        }
        assertThat(Files.readString(keyFile).strip()).isNotEmpty();
    }
}
