package de.vorzimmer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated database of each test's own, opened before the test (and its {@code @BeforeEach} methods) and closed
 * after it: a SQLite file in a fresh temporary folder (on the PostgreSQL pass of the suite, a PostgreSQL database of
 * its own, see {@link TestDb}). A test class registers it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final FreshDatabase fresh = new FreshDatabase();
 * }</pre>
 *
 * and reads {@link #db()}.
 */
public final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private Database db;

    /** The open database of the running test. */
    public Database db() {
        if (db == null) throw new IllegalStateException("no test is running: the database opens before each test");
        return db;
    }

    @java.lang.Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("vz-db-");
        db = Database.open(dir.resolve("vz.db"));
    }

    @java.lang.Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            db.close();
        } finally {
            db = null;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
    }
}
