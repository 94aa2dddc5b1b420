package de.vorzimmer.asterisk;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** {@link CallMessages} as the server wires it, on a fresh store in {@code dir} holding a test's book. */
final class CallMessagesRig implements AutoCloseable {
    final Stores store;
    final CallMessages messages;
    private final Messaging messaging;

    CallMessagesRig(Path dir, String bookYaml) throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast());
        Book book = BookLoader.load(bookYaml, PinHasher.fast());
        Clock clock = Clock.systemUTC();
        store.books().save(book, "test", clock.instant());
        LiveRouting routing = new LiveRouting(store.snapshots().at(clock.instant()), clock);
        messaging = Messaging.start(new Messaging.Settings(null, Duration.ofSeconds(5), Duration.ofHours(1)),
                store.database(), store.messages(), store.outbox(), () -> book, clock);
        messages = new CallMessages(store.messages(), store.books(), store.overrides(), routing, messaging.desk());
    }

    @Override
    public void close() {
        messaging.close();
        store.close();
    }
}
