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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteDataSource;
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

    /**
     * A file as the release before the snapshot left it: every migration before it, recorded in that release's own
     * {@code schema_version} table (it had no Flyway), and a stored book.
     */
    private static void createBeforeSnapshots(Path file, String yaml) throws Exception {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(source).locations(Migrations.LOCATION)
                .placeholders(Migrations.Dialect.SQLITE.placeholders)
                .target(MigrationVersion.fromVersion(Integer.toString(SNAPSHOT_MIGRATION - 1))).load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE flyway_schema_history");
            s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
            for (int v = 1; v < SNAPSHOT_MIGRATION; v++) s.execute("INSERT INTO schema_version VALUES (" + v + ", 'x', 'then')");
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO book_versions (loaded_at, source, yaml) VALUES (1, 'import old', ?)")) {
                p.setString(1, yaml);
                p.executeUpdate();
            }
        }
    }

    @Test
    void theSnapshotMigrationIsTheEighth() {
        assertThat(getClass().getClassLoader().getResource("db/migration/V8__book_snapshot.sql")).isNotNull();
        assertThat(Migrations.latestVersion()).isGreaterThanOrEqualTo(SNAPSHOT_MIGRATION);
    }

    @Test
    void anEarlierDatabaseIsUpgradedAndItsBookGetsASnapshot() throws Exception {
        TestDb.sqliteOnly("an SQLite file written by a release before Flyway (PostgreSQL came after Flyway)");
        Book demo = BookStoreTest.demo();
        Path file = dir.resolve("old.db");
        createBeforeSnapshots(file, BookWriter.write(demo));

        try (Stores store = Stores.open(file, Durability.NORMAL, PinHasher.fast())) {
            assertThat(store.database().schemaVersion()).isEqualTo(Migrations.latestVersion());
            // Flyway took the earlier release's schema_version over as its baseline and ran only what came after
            List<String> history = store.database().read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT version, type FROM flyway_schema_history ORDER BY installed_rank")) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
                    return out;
                }
            });
            assertThat(history.get(0)).isEqualTo((SNAPSHOT_MIGRATION - 1) + " BASELINE");
            assertThat(history.get(1)).isEqualTo(SNAPSHOT_MIGRATION + " SQL");
            assertThat(history).hasSize(1 + (int) Migrations.versions().stream().filter(v -> v >= SNAPSHOT_MIGRATION).count());

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
