package de.vorzimmer.messages;


import de.vorzimmer.book.Book;
import de.vorzimmer.notify.Backoff;
import de.vorzimmer.notify.Channel;
import de.vorzimmer.notify.Delivery;
import java.util.Set;
import de.vorzimmer.notify.OutboxWorker;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.notify.SmsSender;
import de.vorzimmer.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages and their notifications, assembled for the server: the group-commit writer, the message desk, the SMS
 * outbox worker (when Twilio SMS is configured) and the digest scheduler. The composition root starts it, hands
 * {@link #desk()} to the adapters and the API, calls {@link #digests()} periodically off the event loop, and
 * closes it on shutdown.
 */
public final class Messaging implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Messaging.class);
    /** How often the worker looks for notifications queued by other processes (the CLI, another node). */
    private static final Duration POLL = Duration.ofSeconds(2);

    private final MessageWriter writer;
    private final OutboxWorker worker;
    private final MessageDesk desk;
    private final DigestScheduler digests;

    private Messaging(MessageWriter writer, OutboxWorker worker, MessageDesk desk, DigestScheduler digests) {
        this.writer = writer;
        this.worker = worker;
        this.desk = desk;
        this.digests = digests;
    }

    /**
     * How urgent messages and digests go out.
     *
     * @param sender        the SMS provider, or null while none is configured (queued SMS then wait in the outbox)
     * @param senderTimeout how long one provider request may take (connect, then each read)
     * @param giveUpAfter   how long the outbox keeps trying one SMS
     */
    public record Settings(SmsSender sender, Duration senderTimeout, Duration giveUpAfter, Delivery delivery,
                           Set<Channel> channels) {
        public Settings {
            Objects.requireNonNull(senderTimeout, "senderTimeout == null");
            Objects.requireNonNull(giveUpAfter, "giveUpAfter == null");
            channels = channels == null ? Set.of() : Set.copyOf(channels);
            if (delivery == null && sender != null) {
                delivery = Delivery.sms(sender);
                channels = Set.of(Channel.SMS);
            }
        }

        /** SMS only, through {@code sender} (null: queued SMS wait in the outbox). */
        public Settings(SmsSender sender, Duration senderTimeout, Duration giveUpAfter) {
            this(sender, senderTimeout, giveUpAfter, null, Set.of());
        }

        /** The same, with the outbox worker carrying out {@code channels} through {@code delivery}. */
        public Settings withDelivery(Delivery d, Set<Channel> carried) {
            return new Settings(sender, senderTimeout, giveUpAfter, d, carried);
        }
    }

    /** Builds and starts it; the outbox worker only with a sender. */
    public static Messaging start(Settings settings, Database database, MessageStore messages, OutboxStore outbox,
                                  Supplier<Book> book, Clock clock) {
        return start(settings, database, messages, outbox, book, clock, () -> true);
    }

    /**
     * Builds and starts it; the outbox worker only with a sender, and it sends only while {@code sendingHere} (this
     * node holds the outbox's lease).
     */
    public static Messaging start(Settings settings, Database database, MessageStore messages, OutboxStore outbox,
                                  Supplier<Book> book, Clock clock, java.util.function.BooleanSupplier sendingHere) {
        Objects.requireNonNull(settings, "settings == null");
        MessageWriter writer = new MessageWriter(database, messages);
        OutboxWorker worker = null;
        if (settings.delivery() != null && !settings.channels().isEmpty()) {
            // lease: one request can take up to three time-outs (connect, then socket reads); plus a commit
            worker = new OutboxWorker(outbox, settings.delivery(), settings.channels(), clock, Backoff.STANDARD,
                    settings.senderTimeout().multipliedBy(3).plusSeconds(10), POLL,
                    () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble(), sendingHere);
            worker.start();
            LOG.info("outbox: sending {} (give up after {})", settings.channels(), settings.giveUpAfter());
        }
        OutboxWorker w = worker;
        Runnable wake = () -> {
            if (w != null) w.wake();
        };
        MessageDesk desk = new MessageDesk(writer, book, clock, settings.giveUpAfter(), wake);
        DigestScheduler digests = new DigestScheduler(messages, book, clock, settings.giveUpAfter(), wake);
        return new Messaging(writer, worker, desk, digests);
    }

    public MessageDesk desk() {
        return desk;
    }

    public DigestScheduler digests() {
        return digests;
    }

    /** Wakes the outbox worker (something was queued that may be due now). */
    public void wake() {
        if (worker != null) worker.wake();
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
        writer.close();
    }
}
