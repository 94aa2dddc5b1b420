package de.vorzimmer.store;

import de.vorzimmer.book.BookStore;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.status.StatusService;

import de.vorzimmer.book.PinHasher;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Test fixture: a database with one of each feature's stores on it, as most tests want them together.
 * Closing it closes the database. (Production code wires the stores it needs in its composition root.)
 */
public final class Stores implements AutoCloseable {
    private final Database db;
    private final BookStore books;
    private final OverrideStore overrides;
    private final DutyStore duty;
    private final CallLogStore calls;
    private final MessageStore messages;
    private final OutboxStore outbox;
    private final Snapshots snapshots;

    public Stores(Database db, PinHasher pins) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.books = new BookStore(db, pins);
        this.overrides = new OverrideStore(db);
        this.duty = new DutyStore(db);
        this.calls = new CallLogStore(db);
        this.messages = new MessageStore(db);
        this.outbox = new OutboxStore(db, MessageStore.NOTIFIED_WHEN_SENT);
        this.snapshots = new Snapshots(books, overrides, duty);
    }

    /** The stores on an open database (one a server runs on), with PINs hashed the standard way. */
    public static Stores on(Database db) {
        return new Stores(db, new PinHasher());
    }

    public static Stores open(Path file, Durability durability, PinHasher pins) {
        return new Stores(Database.open(file, durability), pins);
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

    /** The status service on these stores; {@code changed} is what makes routing see a change (a watcher's refresh). */
    public StatusService status(Runnable changed) {
        return new StatusService(overrides, duty, changed);
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    @Override
    public void close() {
        db.close();
    }
}
