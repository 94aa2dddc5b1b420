package de.vorzimmer.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Backing up and restoring the SQLite database with SQLite's online backup API (never a file copy, which can catch
 * the database and its WAL at different moments). A backup reads the whole database in one step, inside one read
 * transaction: a consistent snapshot of the moment it began, while the server goes on writing (WAL readers and
 * writers do not wait for each other). The copy is written beside the target, checked, synced and then renamed
 * into place, so a backup that fails leaves no half file under the target's name.
 */
public final class Backups {
    /** Busy retries of one backup step (each after {@link #BUSY_SLEEP_MILLIS}); a WAL reader is rarely refused. */
    static final int BUSY_RETRIES = 100;
    static final int BUSY_SLEEP_MILLIS = 100;
    /** Copy every page in one step: one read transaction, so the copy is of one moment and never starts over. */
    static final int ALL_PAGES = -1;

    private Backups() {
    }

    /** What a backup or restore wrote. */
    public record Copy(Path file, long bytes, int schemaVersion) {
    }

    /** A file that is no usable Vorzimmer database: not SQLite, damaged, or not ours; the message says which. */
    public static final class Unusable extends StoreException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    /**
     * Writes a consistent copy of {@code db} to {@code target} (replacing a file of that name only once the copy is
     * complete and checked).
     *
     * @throws StoreException if the copy cannot be written
     */
    public static Copy backup(Database db, Path target) {
        Objects.requireNonNull(db, "db == null");
        Path absolute = Objects.requireNonNull(target, "target == null").toAbsolutePath().normalize();
        if (absolute.equals(db.file())) throw new Unusable("the backup cannot be the database itself (" + target + ")");
        if (Files.isDirectory(absolute)) throw new Unusable(target + " is a folder; name the backup file");
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new Unusable("folder " + parent + " does not exist");
        Path partial = parent.resolve(absolute.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            db.read(c -> c.unwrap(SQLiteConnection.class).getDatabase()
                    .backup("main", partial.toString(), null, BUSY_SLEEP_MILLIS, BUSY_RETRIES, ALL_PAGES));
            List<String> problems = integrity(partial);
            if (!problems.isEmpty()) throw new StoreException("the copy in " + partial + " fails its check: " + problems.get(0));
            int version = schemaVersion(partial);
            sync(partial);
            move(partial, absolute);
            sync(parent);
            return new Copy(absolute, Files.size(absolute), version);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new StoreException("cannot write backup " + target + ": " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /**
     * Checks a backup before it is used: that it is a SQLite database, passes {@code PRAGMA integrity_check} and
     * is a Vorzimmer database. Opens it read-only; changes nothing.
     *
     * @throws Unusable saying what is wrong with it
     */
    public static int check(Path backup) {
        Objects.requireNonNull(backup, "backup == null");
        if (!Files.isRegularFile(backup)) throw new Unusable("backup " + backup + " does not exist or is not a file");
        if (!Files.isReadable(backup)) throw new Unusable("backup " + backup + " cannot be read (permission denied)");
        List<String> problems;
        try {
            problems = integrity(backup);
        } catch (StoreException e) {
            throw new Unusable("backup " + backup + " is not a readable SQLite database: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new Unusable("backup " + backup + " fails PRAGMA integrity_check (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "): " + problems.get(0));
        }
        int version = schemaVersion(backup);
        if (version < 1) throw new Unusable("backup " + backup + " is a SQLite database but not a Vorzimmer one (no schema history)");
        return version;
    }

    /**
     * Replaces the content of database {@code target} (created if missing) with {@code backup}'s, through SQLite's
     * backup API on a connection to the target, then checks the result. The caller holds the target's exclusive
     * {@link DatabaseLease}: nothing else has it open.
     *
     * @throws Unusable if the backup is unusable or the target is not a database
     */
    public static Copy restore(Path backup, Path target) {
        int version = check(backup);
        Path absolute = target.toAbsolutePath().normalize();
        try {
            Path parent = absolute.getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the folder for " + target + ": " + e, e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + absolute)) {
            c.unwrap(SQLiteConnection.class).getDatabase()
                    .restore("main", backup.toAbsolutePath().toString(), null, BUSY_SLEEP_MILLIS, BUSY_RETRIES, ALL_PAGES);
            try (Statement s = c.createStatement()) {
                // the backup was written without WAL; the server's database runs in WAL mode, folded into the file
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("not a database")) {
                throw new Unusable("target " + target + " exists but is not a SQLite database; move it away first");
            }
            throw new StoreException("cannot restore into " + target + ": " + e.getMessage(), e);
        }
        List<String> problems = integrity(absolute);
        if (!problems.isEmpty()) throw new StoreException("restored " + target + " fails its check: " + problems.get(0));
        try {
            return new Copy(absolute, Files.size(absolute), version);
        } catch (IOException e) {
            throw new StoreException("cannot read " + target + ": " + e, e);
        }
    }

    /** {@code PRAGMA integrity_check} of a file, read-only: no lines when it is sound, else its complaints. */
    public static List<String> integrity(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            List<String> lines = new ArrayList<>();
            while (rs.next()) lines.add(rs.getString(1));
            if (lines.size() == 1 && "ok".equals(lines.get(0))) return List.of();
            return lines.isEmpty() ? List.of("no answer") : lines;
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** The highest migration recorded in a database file (0 when it has no history). */
    static int schemaVersion(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties())) {
            return Migrations.currentVersion(c);
        } catch (SQLException | RuntimeException e) {
            return 0;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void sync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) throw e; // some file systems cannot sync a folder; the file itself was
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover .partial is overwritten by the next backup
        }
    }
}
