package de.vorzimmer.store;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite database file: one connection, in WAL mode, guarded by a lock. Reads and writes both go through
 * it, which keeps the store simple and correct (SQLite allows one writer at a time anyway); other processes,
 * such as the CLI next to a running server, share the file through WAL and the busy timeout.
 *
 * <p>Every {@link #write} runs in a transaction that is committed before the method returns, so whatever a
 * caller acknowledges afterwards is on disk (see {@link Durability}). Opening applies the migrations from
 * {@code db/migration} that the file does not have yet (Flyway; see {@link Migrations}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** How long to wait for another process's write lock before failing with SQLITE_BUSY. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    private final Path file;
    private final Connection connection;
    /** This process's share of the file, so {@code vorzimmer restore} knows it is in use (see {@link DatabaseLease}). */
    private DatabaseLease lease;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean inTransaction;
    private boolean closed;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating if needed) the database at {@code file} with {@link Durability#FULL}. */
    public static Database open(Path file) {
        return open(file, Durability.FULL);
    }

    /**
     * Opens (creating the file and its parent folders if needed) the database and brings its schema up to date.
     *
     * @throws StoreException naming the file if it cannot be opened or migrated
     */
    public static Database open(Path file, Durability durability) {
        Objects.requireNonNull(file, "file == null");
        Objects.requireNonNull(durability, "durability == null");
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Path parent = absolute.getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the folder for database " + file + ": " + e, e);
        }
        DatabaseLease lease = DatabaseLease.shared(absolute);
        Connection c;
        try {
            // IMMEDIATE: a write transaction takes the file's write lock when it begins, so a read-then-write
            // waits (busy timeout) for another process's writer instead of failing when it upgrades.
            SQLiteConfig config = new SQLiteConfig();
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            c = DriverManager.getConnection("jdbc:sqlite:" + absolute, config.toProperties());
        } catch (SQLException e) {
            lease.close();
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        Database db = new Database(absolute, c);
        db.lease = lease;
        try {
            db.configure(durability);
            Migrations.apply(migrationSource(absolute), Migrations.Dialect.SQLITE, file.toString());
        } catch (SQLException | RuntimeException e) {
            db.close();
            if (e instanceof StoreException se) throw se;
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        return db;
    }

    /** Flyway's own connections to the file, with the same busy timeout, so a migration waits for another writer. */
    private static DataSource migrationSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        return source;
    }

    private void configure(Durability durability) throws SQLException {
        try (Statement s = connection.createStatement()) {
            // journal_mode and foreign_keys cannot change inside a transaction; we are in autocommit here.
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StoreException("database " + file + " refused WAL mode (journal_mode=" + mode + ")");
                }
            }
            s.execute("PRAGMA synchronous=" + durability.pragma());
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT.toMillis());
            s.execute("PRAGMA foreign_keys=ON");
        }
        LOG.debug("opened {} (WAL, synchronous={})", file, durability);
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} on the connection under the lock, without a transaction of its own. */
    public <T> T read(SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a transaction under the lock and commits before returning; on any exception it rolls
     * back and rethrows (an {@link SQLException} as a {@link StoreException}). A write inside a write joins the
     * outer transaction.
     */
    public <T> T write(SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            if (inTransaction) return work.run(connection);
            inTransaction = true;
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(e);
                throw e;
            } finally {
                inTransaction = false;
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("database " + file + " is closed");
    }

    /** The highest migration applied to this file. */
    public int schemaVersion() {
        return read(Migrations::currentVersion);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            try {
                connection.close();
            } finally {
                if (lease != null) lease.close();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot close database " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Database[" + file + "]";
    }
}
