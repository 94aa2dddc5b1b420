package de.vorzimmer.book;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;
import de.vorzimmer.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every client book ever imported, as the YAML {@link BookWriter} writes (PINs only as salted hashes); the
 * newest is the book in force. Keeping the text rather than tables keeps one format for files and store,
 * and an older version can be exported as it was.
 *
 * <p>Beside the text each version keeps a {@link BookSnapshot} of the validated book, written in the same
 * transaction, which {@link #current()} decodes instead of parsing and validating the YAML again (seconds for a
 * book of thousands of clients). The text stays the source of truth: a version without a snapshot (stored by an
 * older release) or with one that does not decode is read from its text, with a warning, and its snapshot is
 * written again.
 */
public final class BookStore {
    private static final Logger LOG = LoggerFactory.getLogger(BookStore.class);

    private final Database db;
    private final PinHasher pins;

    public BookStore(Database db, PinHasher pins) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
    }

    /** One stored version. */
    public record Version(long id, Instant loadedAt, String source, String yaml) {
    }

    /** Stores {@code book} as the book in force from now on, text and snapshot together; returns the version id. */
    public long save(Book book, String source, Instant at) {
        Objects.requireNonNull(book, "book == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(at, "at == null");
        String yaml = BookWriter.write(book);
        byte[] snapshot = snapshotOf(book, "new version from " + source);
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c,
                    "INSERT INTO book_versions (loaded_at, source, yaml, snapshot) VALUES (?, ?, ?, ?)")) {
                Sql.setInstant(p, 1, at);
                p.setString(2, source);
                p.setString(3, yaml);
                if (snapshot == null) p.setNull(4, Types.BINARY);
                else p.setBytes(4, snapshot);
                p.executeUpdate();
                db.announceChange(c);
                return Sql.generatedId(p);
            }
        });
    }

    /** The id of the newest stored version, 0 if none; cheap (the book text stays on disk). */
    public long currentVersionId() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT MAX(id) FROM book_versions");
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The newest stored version, as text. */
    public Optional<Version> currentVersion() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id, loaded_at, source, yaml FROM book_versions ORDER BY id DESC LIMIT 1");
                 ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Version(rs.getLong("id"), Sql.instant(rs, "loaded_at"), rs.getString("source"),
                        rs.getString("yaml")));
            }
        });
    }

    /** The newest version's id and snapshot bytes (null when it has none), without its text. */
    private record Stored(long id, byte[] snapshot) {
    }

    /**
     * The book in force, or empty if none was ever imported: from the version's snapshot, or from its text when
     * the snapshot is missing or does not decode (then the snapshot is written again, best effort).
     *
     * @throws StoreException if the snapshot cannot be used and the stored text no longer loads either (a store
     *                        written by an incompatible release)
     */
    public Optional<Book> current() {
        return currentVersioned().map(Versioned::book);
    }

    /** A stored book with the id of its version. */
    public record Versioned(long version, Book book) {
    }

    /** As {@link #current()}, with the version id the book was read from (one read: the two always belong together). */
    public Optional<Versioned> currentVersioned() {
        Optional<Stored> newest = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id, snapshot FROM book_versions ORDER BY id DESC LIMIT 1");
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getLong("id"), rs.getBytes("snapshot")))
                        : Optional.empty();
            }
        });
        if (newest.isEmpty()) return Optional.empty();
        long id = newest.get().id();
        byte[] bytes = newest.get().snapshot();
        String reason;
        if (bytes == null) {
            reason = "it has no snapshot (stored by an earlier release)";
        } else {
            try {
                return Optional.of(new Versioned(id, BookSnapshot.decode(bytes)));
            } catch (BookSnapshotException e) {
                reason = "its snapshot is unusable: " + e.getMessage();
            }
        }
        LOG.warn("book version {}: {}; reading its YAML text instead", id, reason);
        Book book = fromText(id, yamlOf(id));
        rewriteSnapshot(id, book);
        return Optional.of(new Versioned(id, book));
    }

    /**
     * The book in force read from its YAML text, the source of truth, ignoring the snapshot: for export, which
     * must give back what was stored even if a snapshot were ever wrong. Slower than {@link #current()}.
     *
     * @throws StoreException if the stored text no longer loads
     */
    public Optional<Book> currentFromText() {
        return currentVersion().map(v -> fromText(v.id(), v.yaml()));
    }

    /**
     * The id of the version that was in force at {@code t}: the newest loaded at or before it; 0 if none was (or it
     * has been deleted since, see {@link #purgeBefore}). Cheap: the text stays on disk.
     */
    public long versionIdAt(Instant t) {
        Objects.requireNonNull(t, "t == null");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT MAX(id) FROM book_versions WHERE loaded_at <= ?")) {
                p.setLong(1, t.toEpochMilli());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * Version {@code id} as a book (from its snapshot, else its text), e.g. the one in force when a call came in;
     * empty if there is no such version.
     */
    public Optional<Book> version(long id) {
        Optional<byte[]> snapshot = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT snapshot FROM book_versions WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return Optional.<byte[]>empty();
                    byte[] b = rs.getBytes(1);
                    return Optional.of(b == null ? new byte[0] : b);
                }
            }
        });
        if (snapshot.isEmpty()) return Optional.empty();
        if (snapshot.get().length > 0) {
            try {
                return Optional.of(BookSnapshot.decode(snapshot.get()));
            } catch (BookSnapshotException e) {
                LOG.warn("book version {}: its snapshot is unusable: {}; reading its YAML text instead", id, e.getMessage());
            }
        }
        return Optional.of(fromText(id, yamlOf(id)));
    }

    /**
     * Deletes up to {@code limit} book versions loaded before {@code before}, oldest first; the newest version (the
     * book in force) is never deleted, however old. Returns how many went.
     */
    public int purgeBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        return db.write(c -> Sql.deleteBatch(c, "book_versions", "id",
                "loaded_at < ? AND id < (SELECT MAX(id) FROM book_versions)", limit, before.toEpochMilli()));
    }

    private String yamlOf(long id) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT yaml FROM book_versions WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new StoreException("book version " + id + " vanished while being read");
                    return rs.getString(1);
                }
            }
        });
    }

    private Book fromText(long id, String yaml) {
        try {
            return BookLoader.loadWritten(yaml, pins);
        } catch (BookException e) {
            throw new StoreException("stored book version " + id + " no longer loads: "
                    + e.problems().size() + " problems, first: " + e.problems().get(0), e);
        }
    }

    /** Best effort: a store that cannot be written now (read-only file, busy) still serves the book it read. */
    private void rewriteSnapshot(long id, Book book) {
        byte[] snapshot = snapshotOf(book, "version " + id);
        if (snapshot == null) return;
        try {
            int rows = db.write(c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE book_versions SET snapshot = ? WHERE id = ?")) {
                    p.setBytes(1, snapshot);
                    p.setLong(2, id);
                    return p.executeUpdate();
                }
            });
            if (rows == 1) LOG.info("book version {}: snapshot written again ({} bytes)", id, snapshot.length);
        } catch (StoreException e) {
            LOG.warn("book version {}: could not write its snapshot again, the next start reads the YAML text "
                    + "again: {}", id, e.getMessage());
        }
    }

    /** The snapshot of {@code book}, or null (with a warning) for a book whose text UTF-8 cannot carry. */
    private static byte[] snapshotOf(Book book, String what) {
        try {
            return BookSnapshot.encode(book);
        } catch (IllegalArgumentException e) {
            LOG.warn("book {}: stored without a snapshot, it is read from its YAML text: {}", what, e.getMessage());
            return null;
        }
    }
}
