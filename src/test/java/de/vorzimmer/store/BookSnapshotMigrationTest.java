package de.vorzimmer.store;



import de.vorzimmer.book.BookStoreTest;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookSnapshot;
import de.vorzimmer.book.BookWriter;
import de.vorzimmer.book.PinHasher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written before book snapshots existed is upgraded, and its book still loads. */
class BookSnapshotMigrationTest {
    private static final int SNAPSHOT_MIGRATION = 8;

    @TempDir
    Path dir;

    /** A file as the release before the snapshot left it: every migration before it, and a stored book. */
    private static void createBeforeSnapshots(Path file, String yaml) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
            for (Migrations.Script script : Migrations.scripts()) {
                if (script.version() >= SNAPSHOT_MIGRATION) break;
                try (InputStream in = BookSnapshotMigrationTest.class.getClassLoader()
                        .getResourceAsStream(script.resource())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    for (String sql : Migrations.statements(text, Migrations.SQLITE_ID, Migrations.SQLITE_BYTES)) {
                        s.execute(sql);
                    }
                }
                s.execute("INSERT INTO schema_version VALUES (" + script.version() + ", 'x', 'then')");
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO book_versions (loaded_at, source, yaml) VALUES (1, 'import old', ?)")) {
                p.setString(1, yaml);
                p.executeUpdate();
            }
        }
    }

    @Test
    void theSnapshotMigrationComesAfterEveryOther() {
        List<Integer> versions = new ArrayList<>();
        for (Migrations.Script s : Migrations.scripts()) versions.add(s.version());
        assertThat(versions).contains(6, SNAPSHOT_MIGRATION);
        assertThat(Migrations.scripts().stream().filter(s -> s.version() == SNAPSHOT_MIGRATION))
                .singleElement().extracting(Migrations.Script::resource)
                .isEqualTo("db/migration/V8__book_snapshot.sql");
    }

    @Test
    void anEarlierDatabaseIsUpgradedAndItsBookGetsASnapshot() throws Exception {
        Book demo = BookStoreTest.demo();
        Path file = dir.resolve("old.db");
        createBeforeSnapshots(file, BookWriter.write(demo));

        try (Stores store = Stores.open(file, Durability.NORMAL, PinHasher.fast())) {
            assertThat(store.database().schemaVersion()).isEqualTo(Migrations.latestVersion());
            int applied = store.database().read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(applied).isEqualTo(Migrations.scripts().size());

            assertThat(store.books().current()).contains(demo);

            byte[] snapshot = store.database().read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT snapshot FROM book_versions WHERE id = 1")) {
                    rs.next();
                    return rs.getBytes(1);
                }
            });
            assertThat(BookSnapshot.decode(snapshot)).isEqualTo(demo);
        }
    }
}
