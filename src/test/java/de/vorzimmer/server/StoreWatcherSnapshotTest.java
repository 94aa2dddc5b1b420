package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server picks up a book stored by another process even when that version's snapshot is damaged. */
class StoreWatcherSnapshotTest {
    private static final Instant T0 = Instant.parse("2025-03-04T09:00:00Z");
    private static final PinHasher PINS = PinHasher.fast();

    @TempDir
    Path dir;

    private static Book demo() throws Exception {
        try (InputStream in = StoreWatcherSnapshotTest.class.getResourceAsStream("/demo/book.yaml")) {
            return BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), PINS);
        }
    }

    @Test
    void aNewVersionWithADamagedSnapshotIsReadFromItsText() throws Exception {
        Path file = dir.resolve("vz.db");
        Book demo = demo();
        try (Stores server = Stores.open(file, Durability.NORMAL, PINS)) {
            long first = server.books().save(Book.empty(), "first", T0);
            LiveRouting routing = new LiveRouting(server.snapshots().at(T0), Clock.fixed(T0, ZoneOffset.UTC));
            StoreWatcher watcher = new StoreWatcher(server.database(), server.snapshots(), routing, first);
            watcher.poll();
            assertThat(routing.decide(Call.of("+49301234567", "+49309876543")).client()).isNull();

            // another process (the CLI) stores the demo book; its snapshot is then damaged on disk
            try (Stores cli = Stores.open(file, Durability.NORMAL, PINS)) {
                long second = cli.books().save(demo, "import demo.yaml", T0);
                cli.database().write(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate("UPDATE book_versions SET snapshot = substr(snapshot, 1, 64) "
                                + "WHERE id = " + second);
                    }
                });
            }
            watcher.poll();

            assertThat(routing.snapshot().book().book()).isEqualTo(demo);
            assertThat(routing.decide(Call.of("+49301234567", "+49309876543")).client()).isEqualTo("mueller");
        }
    }
}
