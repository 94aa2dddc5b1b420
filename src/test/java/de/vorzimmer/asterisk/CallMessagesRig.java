package de.vorzimmer.asterisk;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link CallMessages} as the server wires it, for each test on a fresh store holding the test class's book:
 * {@code @RegisterExtension final CallMessagesRig rig = new CallMessagesRig(BOOK);}.
 */
final class CallMessagesRig implements BeforeEachCallback, AfterEachCallback {
    private final String bookYaml;
    private Path dir;
    private Messaging messaging;
    Stores store;
    CallMessages messages;

    CallMessagesRig(String bookYaml) {
        this.bookYaml = bookYaml;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("vz-call-messages-");
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
    public void afterEach(ExtensionContext context) throws Exception {
        if (messaging != null) messaging.close();
        if (store != null) store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
