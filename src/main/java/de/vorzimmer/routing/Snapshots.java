package de.vorzimmer.routing;

import de.vorzimmer.book.BookStore;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;

import de.vorzimmer.book.Book;
import de.vorzimmer.status.LiveStatus;
import java.time.Instant;
import java.util.Objects;

/** Builds the routing core's snapshot from what the store holds. */
public final class Snapshots {
    private final BookStore books;
    private final OverrideStore overrides;
    private final DutyStore duty;

    public Snapshots(BookStore books, OverrideStore overrides, DutyStore duty) {
        this.books = Objects.requireNonNull(books, "books == null");
        this.overrides = Objects.requireNonNull(overrides, "overrides == null");
        this.duty = Objects.requireNonNull(duty, "duty == null");
    }

    /**
     * The snapshot for deciding calls at or after {@code t}: the book in force (an empty book if none was
     * imported), the overrides that can still matter from {@code t} on, and the secretaries off duty.
     */
    public RoutingSnapshot at(Instant t) {
        BookStore.Versioned current = books.currentVersioned().orElseGet(() -> new BookStore.Versioned(0, Book.empty()));
        return new RoutingSnapshot(BookIndex.of(current.book(), current.version()), live(t), duty.offDuty());
    }

    /** As {@link #at}, with a book already at hand (e.g. just imported). */
    public RoutingSnapshot of(Book book, Instant t) {
        return new RoutingSnapshot(BookIndex.of(book), live(t), duty.offDuty());
    }

    /** {@code current} with the overrides and duty states as stored now: for a change that left the book as it was. */
    public RoutingSnapshot refreshed(RoutingSnapshot current, Instant t) {
        return current.withLive(live(t)).withOffDuty(duty.offDuty());
    }

    /** The id of the book version in force (0 before the first import). */
    public long bookVersion() {
        return books.currentVersionId();
    }

    private LiveStatus live(Instant t) {
        return LiveStatus.of(overrides.activeOrFutureAt(t));
    }
}
