package de.vorzimmer.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who uses a SQLite database file: every process that opens it ({@link Database#open}: the server and each command)
 * holds a shared lock on {@code FILE-lock} beside it while it is open, and {@code vorzimmer restore} takes the
 * exclusive one, so a restore is refused while anything has the database open and nothing opens it while a restore
 * runs. The operating system drops the lock with the process, so a crash leaves no stale lease behind.
 *
 * <p>Why a file of its own: SQLite's own locks sit on the database file (POSIX record locks, which a process loses
 * as soon as it closes any descriptor of that file, so they cannot be taken from Java next to SQLite's) and on the
 * {@code -shm} file only while a transaction runs. Within one JVM (where the operating system lock is taken once per
 * process) the holders are counted here.
 */
public final class DatabaseLease implements AutoCloseable {
    /** One JVM's hold on a lock file: the operating system lock, how it is held and by how many. */
    private static final class Hold {
        final FileChannel channel;
        final FileLock lock;
        final boolean exclusive;
        int holders;

        Hold(FileChannel channel, FileLock lock, boolean exclusive) {
            this.channel = channel;
            this.lock = lock;
            this.exclusive = exclusive;
        }
    }

    private static final Map<Path, Hold> HELD = new HashMap<>();

    private final Path lockFile;
    private boolean released;

    private DatabaseLease(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** The lock file of database {@code db}: {@code db} with {@code -lock} appended, as SQLite names -wal and -shm. */
    public static Path lockFile(Path db) {
        Path absolute = db.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + "-lock");
    }

    /**
     * A shared lease, for using the database: refused only while a restore holds it. A lock file that cannot be
     * created (a read-only folder) gives no lease and no error: nothing can be restored into such a folder either.
     *
     * @throws StoreException while {@code vorzimmer restore} writes the database
     */
    public static DatabaseLease shared(Path db) {
        DatabaseLease lease = take(db, false);
        if (lease == null) {
            throw new StoreException("database " + db + " is being restored (vorzimmer restore); try again once it has finished");
        }
        return lease;
    }

    /**
     * The exclusive lease, for replacing the database's content, or null while any process has the database open.
     *
     * @throws StoreException if the lock file cannot be created or locked
     */
    public static DatabaseLease exclusive(Path db) {
        return take(db, true);
    }

    private static DatabaseLease take(Path db, boolean exclusive) {
        Objects.requireNonNull(db, "db == null");
        Path file = lockFile(db);
        synchronized (HELD) {
            Hold hold = HELD.get(file);
            if (hold != null) {
                if (exclusive || hold.exclusive) return null;
                hold.holders++;
                return new DatabaseLease(file);
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                if (!exclusive) return new DatabaseLease(null);
                throw new StoreException("cannot create the lock file " + file + ": " + e, e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(channel);
                throw new StoreException("cannot lock " + file + ": " + e, e);
            }
            if (lock == null) {
                closeQuietly(channel);
                return null;
            }
            hold = new Hold(channel, lock, exclusive);
            hold.holders = 1;
            HELD.put(file, hold);
            return new DatabaseLease(file);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel either way
        }
    }

    /** Gives the lease back; the last holder in this JVM releases the operating system lock. */
    @Override
    public void close() {
        if (lockFile == null) return;
        synchronized (HELD) {
            if (released) return;
            released = true;
            Hold hold = HELD.get(lockFile);
            if (hold == null || --hold.holders > 0) return;
            HELD.remove(lockFile);
            try {
                hold.lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(hold.channel);
        }
    }
}
