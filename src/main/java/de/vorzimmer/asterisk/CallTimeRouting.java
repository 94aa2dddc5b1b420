package de.vorzimmer.asterisk;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import de.vorzimmer.status.OverrideStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision a live call would have had, for a call the dialplan handled alone (the server was down or its AGI
 * failed) and that is only now known to the server: the pure routing core applied at the call's instant, with the
 * book that was in force then and the overrides that were active then (the live snapshot holds only those that still
 * matter from now on). Secretaries' duty is today's: it changes who would have rung, never who the call was for or
 * whether its message is urgent. Blocking (JDBC).
 */
final class CallTimeRouting {
    private final BookStore books;
    private final OverrideStore overrides;
    private final LiveRouting live;
    /** The last older book version indexed, kept because an outage's recordings all come from the same one. */
    private long cachedId;
    private BookIndex cached;

    CallTimeRouting(BookStore books, OverrideStore overrides, LiveRouting live) {
        this.books = Objects.requireNonNull(books, "books == null");
        this.overrides = Objects.requireNonNull(overrides, "overrides == null");
        this.live = Objects.requireNonNull(live, "live == null");
    }

    Decision decide(Call call, Instant at) {
        return Router.decide(snapshotAt(at), call, at);
    }

    /** What routing knew at {@code at}. */
    RoutingSnapshot snapshotAt(Instant at) {
        RoutingSnapshot now = live.snapshot();
        long id = books.versionIdAt(at);
        BookIndex book = id == 0 || id == books.currentVersionId() ? now.book() : older(id, now.book());
        return new RoutingSnapshot(book, LiveStatus.of(overrides.activeOrFutureAt(at)), now.offDuty());
    }

    private synchronized BookIndex older(long id, BookIndex current) {
        if (id == cachedId && cached != null) return cached;
        Optional<Book> book = books.version(id);
        if (book.isEmpty()) return current;
        cachedId = id;
        cached = BookIndex.of(book.get(), id);
        return cached;
    }
}
