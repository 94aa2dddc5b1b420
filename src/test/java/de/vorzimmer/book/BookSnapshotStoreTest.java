package de.vorzimmer.book;

import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import de.vorzimmer.store.TestDb;
import de.vorzimmer.store.StoreException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.vorzimmer.testing.LogCapture;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The snapshot kept beside each stored book version, on a real SQLite file. */
class BookSnapshotStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final PinHasher PINS = PinHasher.fast();

    @TempDir
    Path dir;
    Stores store;
    @RegisterExtension
    final LogCapture log = new LogCapture(BookStore.class);

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PINS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private byte[] snapshotOf(long id) {
        return store.database().read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT snapshot FROM book_versions WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
    }

    private int sql(String statement) {
        return store.database().write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void savingWritesTheSnapshotBesideTheText() throws Exception {
        Book book = BookStoreTest.demo();
        long id = store.books().save(book, "import demo.yaml", T0);

        byte[] snapshot = snapshotOf(id);
        assertThat(snapshot).isNotNull();
        assertThat(BookSnapshot.decode(snapshot)).isEqualTo(book);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void theBookInForceComesFromTheSnapshot() throws Exception {
        Book book = BookStoreTest.demo();
        store.books().save(book, "import", T0);
        // with the text made unreadable, only the snapshot can give the book back
        sql("UPDATE book_versions SET yaml = 'version: [' ");

        assertThat(store.books().current()).contains(book);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void exportReadsTheTextNotTheSnapshot() throws Exception {
        Book book = BookStoreTest.demo();
        store.books().save(book, "import", T0);
        assertThat(store.books().currentFromText()).contains(book);

        sql("UPDATE book_versions SET yaml = 'version: [' ");
        StoreException e = assertThrows(StoreException.class, () -> store.books().currentFromText());
        assertThat(e.getMessage()).contains("no longer loads");
    }

    @Test
    void aLargeBookRoundTripsThroughTheStore() {
        Book big = new SnapshotBooks(new Random(3)).large(500, 20, 5);
        store.books().save(big, "import big", T0);
        store.close();
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PINS);

        assertThat(store.books().current()).contains(big);
        assertThat(store.books().currentFromText()).contains(big);
    }

    @Test
    void aVersionWithoutSnapshotIsReadFromItsTextAndGetsOne() throws Exception {
        Book book = BookStoreTest.demo();
        long id = store.books().save(book, "import", T0);
        sql("UPDATE book_versions SET snapshot = NULL");

        assertThat(store.books().current()).contains(book);

        assertThat(warnings()).singleElement().asString()
                .contains("book version " + id, "no snapshot", "reading its YAML text");
        assertThat(BookSnapshot.decode(snapshotOf(id))).isEqualTo(book);
        log.list.clear();
        assertThat(store.books().current()).contains(book);
        assertThat(warnings()).as("the second load uses the new snapshot").isEmpty();
    }

    @ParameterizedTest(name = "byte {0} -> {1}")
    @CsvSource({
            "0,   not a book snapshot",        // magic
            "5,   book snapshot format",       // an older or newer format
            "14,  CRC32",                      // the stored CRC
            "40,  CRC32",                      // the string table
            "-3,  CRC32",                      // near the end of the book
    })
    void aDamagedSnapshotIsReadFromTheTextWithAWarningAndWrittenAgain(int at, String reason) throws Exception {
        Book book = BookStoreTest.demo();
        long id = store.books().save(book, "import", T0);
        byte[] good = snapshotOf(id);
        int pos = at < 0 ? good.length + at : at;
        // flip one byte in the stored column, as a damaged page would
        byte[] flipped = good.clone();
        flipped[pos] ^= 0x01;
        storeSnapshot(id, flipped);
        byte[] damaged = snapshotOf(id);
        assertThat(damaged).hasSize(good.length);
        assertThat(damaged[pos]).isEqualTo((byte) (good[pos] ^ 0x01));
        assertThrows(BookSnapshotException.class, () -> BookSnapshot.decode(damaged));

        assertThat(store.books().current()).contains(book);

        assertThat(warnings()).singleElement().asString().contains("book version " + id, reason);
        assertThat(snapshotOf(id)).as("written again").isEqualTo(good);
    }

    @Test
    void aSnapshotThatCannotBeWrittenAgainIsOnlyAWarning() throws Exception {
        Book book = BookStoreTest.demo();
        long id = store.books().save(book, "import", T0);
        TestDb.sqliteOnly("an SQLite trigger keeps the column from being written again");
        storeSnapshot(id, new byte[] {0});
        sql("CREATE TRIGGER keep_snapshot BEFORE UPDATE OF snapshot ON book_versions "
                + "BEGIN SELECT RAISE(ABORT, 'snapshot frozen'); END");

        assertThat(store.books().current()).contains(book);

        assertThat(warnings()).hasSize(2);
        assertThat(warnings().get(0)).contains("book version " + id, "truncated");
        assertThat(warnings().get(1)).contains("could not write its snapshot again", "snapshot frozen");
        assertThat(snapshotOf(id)).containsExactly(0);
    }

    @Test
    void theRoutingSnapshotIsBuiltFromTheRightBookWhenTheSnapshotIsDamaged() throws Exception {
        Book demo = BookStoreTest.demo();
        store.books().save(Book.empty(), "first", T0);
        long id = store.books().save(demo, "second", T0.plusSeconds(1));
        sql("UPDATE book_versions SET snapshot = substr(snapshot, 1, 100) WHERE id = " + id);

        assertThat(store.snapshots().at(T0).book().book()).isEqualTo(demo);
        assertThat(warnings()).singleElement().asString().contains("truncated");
    }

    /** Writes {@code bytes} as the stored snapshot of book version {@code id}, behind the store's back. */
    private void storeSnapshot(long id, byte[] bytes) {
        store.database().write(c -> {
            try (java.sql.PreparedStatement p = c.prepareStatement("UPDATE book_versions SET snapshot = ? WHERE id = ?")) {
                p.setBytes(1, bytes);
                p.setLong(2, id);
                return p.executeUpdate();
            }
        });
    }
}
