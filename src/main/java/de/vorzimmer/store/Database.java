package de.vorzimmer.store;


import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: an SQLite file (the embedded default for one node) or a PostgreSQL database that several nodes share,
 * behind the same {@link #read} / {@link #write} API.
 *
 * <ul>
 *   <li><b>SQLite</b>: one connection, in WAL mode, guarded by a lock. Reads and writes both go through it, which
 *       keeps the store simple and correct (SQLite allows one writer at a time anyway); other processes, such as the
 *       CLI next to a running server, share the file through WAL and the busy timeout.</li>
 *   <li><b>PostgreSQL</b>: a small connection pool; each {@link #write} takes a connection for its transaction and a
 *       write (or read) inside it on the same thread joins it. Isolation is PostgreSQL's default (read committed):
 *       the stores' conditional updates ({@code UPDATE ... WHERE state = ?}) and unique keys are what keep nodes from
 *       doing one thing twice, as they keep processes apart on SQLite.</li>
 * </ul>
 *
 * <p>Every {@link #write} runs in a transaction that is committed before the method returns, so whatever a
 * caller acknowledges afterwards is stored (see {@link Durability}). Opening applies the migrations from
 * {@code db/migration} that the database does not have yet (Flyway; see {@link Migrations}).
 *
 * <p><b>Changes by others.</b> {@link #changeCount()} moves when another process or node committed a change worth
 * re-reading: on SQLite any commit by another connection ({@code PRAGMA data_version}); on PostgreSQL a commit that
 * called {@link #announceChange} (a notification on {@link #CHANGES_CHANNEL}, delivered by PostgreSQL at commit),
 * which also runs the {@link #onChange} hooks at once.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** How long to wait for another process's write lock before failing with SQLITE_BUSY. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** The PostgreSQL channel on which a commit that changed routing state (status, duty, book) is announced. */
    public static final String CHANGES_CHANNEL = "vorzimmer_changes";
    /** Connections per PostgreSQL pool: JDBC work runs on Vert.x workers and a few writer threads. */
    static final int POOL_SIZE = 10;
    /**
     * The test suite's second pass: when this environment variable holds a PostgreSQL URL, every SQLite file a test
     * opens is a database of its own on that server instead (see README, "Set up"). Never set in production.
     */
    public static final String TEST_POSTGRES_ENV = "VORZIMMER_TEST_POSTGRES";

    private final String where;
    private final Path file;
    private final Connection connection;
    /** This process's share of the file, so {@code vorzimmer restore} knows it is in use (see {@link DatabaseLease}). */
    private DatabaseLease lease;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean inTransaction;
    private volatile boolean closed;

    private final HikariDataSource pool;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();
    private final PgListener listener;
    /** This open database, so its own announcements are not counted as changes by others. */
    private final String instance = UUID.randomUUID().toString();

    private Database(Path file, Connection connection) {
        this.where = file.toString();
        this.file = file;
        this.connection = connection;
        this.pool = null;
        this.listener = null;
    }

    private Database(Target target, HikariDataSource pool) {
        this.where = target.describe();
        this.file = null;
        this.connection = null;
        this.pool = pool;
        this.listener = new PgListener(target, where, instance);
    }

    /**
     * Where a database is: an SQLite file path, or a JDBC URL {@code jdbc:postgresql://HOST[:PORT]/DB} with its user
     * and password (either may also be in the URL's parameters).
     */
    public record Target(String location, String user, String password) {
        public Target {
            Objects.requireNonNull(location, "location == null");
            if (location.isBlank()) throw new IllegalArgumentException("database location is empty");
        }

        public static Target of(String location) {
            return new Target(location, null, null);
        }

        public boolean postgres() {
            return location.startsWith("jdbc:postgresql:");
        }

        /** The location for messages and the start-up log: a password in the URL is masked. */
        public String describe() {
            return location.replaceAll("(?i)(password=)[^&]*", "$1***");
        }

        @Override
        public String toString() {
            return "Target[" + describe() + (user == null ? "" : ", user " + user) + "]";
        }
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
        String testServer = System.getenv(TEST_POSTGRES_ENV);
        if (testServer != null && !testServer.isBlank()) return open(TestDatabases.forFile(testServer, file), durability);
        return openSqlite(file, durability);
    }

    /**
     * Opens the database {@code target} names: an SQLite file, or a PostgreSQL database (which must exist; its tables
     * are created by the migrations).
     *
     * @throws StoreException naming the database if it cannot be opened or migrated
     */
    public static Database open(Target target, Durability durability) {
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(durability, "durability == null");
        if (!target.postgres()) return open(Path.of(target.location()), durability);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.location());
        if (target.user() != null) config.setUsername(target.user());
        if (target.password() != null) config.setPassword(target.password());
        config.setPoolName("vorzimmer-db");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(BUSY_TIMEOUT.toMillis());
        // NORMAL: a commit returns before its WAL record is flushed (it may be lost on a crash of the database
        // server, never half-applied); FULL waits for the flush, PostgreSQL's default.
        if (durability == Durability.NORMAL) config.setConnectionInitSql("SET synchronous_commit = off");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open database " + target.describe() + ": " + rootMessage(e), e);
        }
        Database db = new Database(target, pool);
        try {
            Migrations.apply(pool, Migrations.Dialect.POSTGRESQL, target.describe());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        LOG.debug("opened {} (PostgreSQL, synchronous_commit {})", target.describe(),
                durability == Durability.FULL ? "on" : "off");
        return db;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    private static Database openSqlite(Path file, Durability durability) {
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

    /** The SQLite file; an {@link IllegalStateException} on PostgreSQL, which has none. */
    public Path file() {
        if (file == null) throw new IllegalStateException("database " + where + " is not a file");
        return file;
    }

    /** Where the database is, for messages and the log (a password in a URL masked). */
    public String location() {
        return where;
    }

    /** True on PostgreSQL: several nodes may share this database, and work that must happen once needs a lease. */
    public boolean shared() {
        return pool != null;
    }

    /** Runs {@code work} on a connection, without a transaction of its own (inside a {@link #write} it joins it). */
    public <T> T read(SqlWork<T> work) {
        if (pool != null) return readPooled(work);
        lock.lock();
        try {
            ensureOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database " + where + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a transaction and commits before returning; on any exception it rolls back and rethrows
     * (an {@link SQLException} as a {@link StoreException}). A write inside a write (on the same thread) joins the
     * outer transaction.
     */
    public <T> T write(SqlWork<T> work) {
        if (pool != null) return writePooled(work);
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
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                inTransaction = false;
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database " + where + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T readPooled(SqlWork<T> work) {
        ensureOpen();
        Connection joined = transaction.get();
        try {
            if (joined != null) return work.run(joined);
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException("database " + where + ": " + e.getMessage(), e);
        }
    }

    private <T> T writePooled(SqlWork<T> work) {
        ensureOpen();
        Connection joined = transaction.get();
        try {
            if (joined != null) return work.run(joined);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                transaction.set(c);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    transaction.remove();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("database " + where + ": " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("database " + where + " is closed");
    }

    /**
     * Tells the other nodes, when the transaction on {@code c} commits, that routing state (a status, a duty, the
     * book) changed. Call it inside the {@link #write} that made the change. On SQLite it does nothing: every commit
     * moves the file's {@code data_version}, which the other processes poll.
     */
    public void announceChange(Connection c) throws SQLException {
        if (pool == null) return;
        notify(c, CHANGES_CHANNEL, instance);
    }

    /**
     * Sends {@code payload} (at most 7,900 bytes) to every listener of {@code channel} on this PostgreSQL database,
     * this process's own included, when the current transaction commits (at once outside one).
     *
     * @throws IllegalStateException on SQLite, which has no notifications
     */
    public void notify(String channel, String payload) {
        if (pool == null) throw new IllegalStateException("database " + where + " has no notifications (SQLite)");
        Connection joined = transaction.get();
        if (joined != null) {
            try {
                notify(joined, channel, payload);
            } catch (SQLException e) {
                throw new StoreException("database " + where + ": " + e.getMessage(), e);
            }
            return;
        }
        read(c -> {
            notify(c, channel, payload);
            return null;
        });
    }

    private static void notify(Connection c, String channel, String payload) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            p.setString(1, channel);
            p.setString(2, payload);
            p.execute();
        }
    }

    /**
     * Calls {@code handler} with the payload of every notification on {@code channel} (PostgreSQL), on the listener
     * thread, in the order they were committed. After the listener lost its connection and made a new one, the
     * {@link #onChange} hooks run (notifications may have been missed meanwhile).
     *
     * @throws IllegalStateException on SQLite
     */
    public void listen(String channel, Consumer<String> handler) {
        if (listener == null) throw new IllegalStateException("database " + where + " has no notifications (SQLite)");
        ensureOpen();
        listener.listen(channel, handler);
    }

    /**
     * Runs {@code hook} (on the listener thread; keep it short) whenever another node announced a change
     * ({@link #announceChange}), and after the listener reconnected. Nothing on SQLite: poll {@link #changeCount}.
     */
    public void onChange(Runnable hook) {
        if (listener == null) return;
        ensureOpen();
        listener.onChange(hook);
    }

    /**
     * A number that moves when another process or node committed a change worth re-reading (see the class comment);
     * compare it with the last one seen. Blocking on SQLite (one {@code PRAGMA}).
     */
    public long changeCount() {
        if (listener != null) return listener.changes();
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The highest migration applied to this database. */
    public int schemaVersion() {
        return read(Migrations::currentVersion);
    }

    @Override
    public void close() {
        if (pool != null) {
            if (closed) return;
            closed = true;
            listener.close();
            pool.close();
            return;
        }
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
            throw new StoreException("cannot close database " + where + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Database[" + where + "]";
    }
}
