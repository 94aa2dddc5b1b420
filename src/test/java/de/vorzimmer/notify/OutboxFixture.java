package de.vorzimmer.notify;


import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.store.Database;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.messages.MessageWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A database with the message desk and outbox on it, and a book of two clients (German and English). */
public final class OutboxFixture implements AutoCloseable {
    public static final String SID = FakeTwilio.SID;
    public static final String TOKEN = "test-auth-token";
    public static final String FROM = FakeTwilio.FROM;
    public static final String BOOK = """
            version: 1
            clients:
            """ + TestClients.MUELLER + """
                digest: "18:00"
                intake:
                  - Patient seit
                  - { name: Rückrufnummer, required: true }
            """ + TestClients.SMITH;

    public final Database db;
    public final MessageStore messages;
    public final OutboxStore outbox;
    public final MessageWriter writer;
    public final MessageDesk desk;
    public final Book book;

    public OutboxFixture(Path file, Clock clock, Duration giveUpAfter) throws Exception {
        db = Database.open(file);
        messages = new MessageStore(db);
        outbox = new OutboxStore(db, MessageStore.NOTIFIED_WHEN_SENT);
        writer = new MessageWriter(db, messages);
        book = BookLoader.load(BOOK, new PinHasher());
        desk = new MessageDesk(writer, () -> book, clock, giveUpAfter, () -> { });
    }

    public static NewMessage urgent(String client, String text) {
        return new NewMessage(client, null, "+49309876543", "Labor Schmidt", MessageKind.TYPED, text, null, true, true,
                client.equals("mueller") ? Map.of("Rückrufnummer", "+49309876543") : Map.of(), null);
    }

    public Message take(NewMessage m) {
        return desk.take(m);
    }

    public TwilioSmsSender sender(FakeTwilio fake, Duration timeout) {
        return TwilioSmsSender.create(SID, TOKEN, FROM, fake.url(), timeout);
    }

    @Override
    public void close() {
        writer.close();
        db.close();
    }
}
