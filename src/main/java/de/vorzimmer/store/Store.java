package de.vorzimmer.store;

import de.vorzimmer.book.PinHasher;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The database with one of each repository on it: the pieces a composition root (server, CLI command)
 * usually wants together. Closing it closes the database.
 */
public final class Store implements AutoCloseable {
    private final Database db;
    private final BookStore books;
    private final OverrideStore overrides;
    private final DutyStore duty;
    private final CallLogStore calls;
    private final MessageStore messages;
    private final OutboxStore outbox;
    private final Snapshots snapshots;

    public Store(Database db, PinHasher pins) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.books = new BookStore(db, pins);
        this.overrides = new OverrideStore(db);
        this.duty = new DutyStore(db);
        this.calls = new CallLogStore(db);
        this.messages = new MessageStore(db);
        this.outbox = new OutboxStore(db);
        this.snapshots = new Snapshots(books, overrides, duty);
    }

    public static Store open(Path file, Durability durability, PinHasher pins) {
        return new Store(Database.open(file, durability), pins);
    }

    public Database database() {
        return db;
    }

    public BookStore books() {
        return books;
    }

    public OverrideStore overrides() {
        return overrides;
    }

    public DutyStore duty() {
        return duty;
    }

    public CallLogStore calls() {
        return calls;
    }

    public MessageStore messages() {
        return messages;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    @Override
    public void close() {
        db.close();
    }
}
