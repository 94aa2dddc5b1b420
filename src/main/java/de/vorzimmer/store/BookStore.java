package de.vorzimmer.store;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookWriter;
import de.vorzimmer.book.PinHasher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Every client book ever imported, as the YAML {@link BookWriter} writes (PINs only as salted hashes); the
 * newest is the book in force. Keeping the text rather than tables keeps one format for files and store,
 * and an older version can be exported as it was.
 */
public final class BookStore {
    private final Database db;
    private final PinHasher pins;

    public BookStore(Database db, PinHasher pins) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
    }

    /** One stored version. */
    public record Version(long id, Instant loadedAt, String source, String yaml) {
    }

    /** Stores {@code book} as the book in force from now on; returns the version id. */
    public long save(Book book, String source, Instant at) {
        Objects.requireNonNull(book, "book == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(at, "at == null");
        String yaml = BookWriter.write(book);
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c,
                    "INSERT INTO book_versions (loaded_at, source, yaml) VALUES (?, ?, ?)")) {
                Sql.setInstant(p, 1, at);
                p.setString(2, source);
                p.setString(3, yaml);
                p.executeUpdate();
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

    /**
     * The book in force, or empty if none was ever imported.
     *
     * @throws StoreException if the stored text no longer loads (a store written by an incompatible release)
     */
    public Optional<Book> current() {
        Optional<Version> v = currentVersion();
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(BookLoader.loadWritten(v.get().yaml(), pins));
        } catch (BookException e) {
            throw new StoreException("stored book version " + v.get().id() + " no longer loads: "
                    + e.problems().size() + " problems, first: " + e.problems().get(0), e);
        }
    }
}
