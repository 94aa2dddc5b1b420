package de.vorzimmer.messages;

import de.vorzimmer.book.Book;
import de.vorzimmer.config.Config;
import de.vorzimmer.notify.Backoff;
import de.vorzimmer.notify.DigestScheduler;
import de.vorzimmer.notify.OutboxWorker;
import de.vorzimmer.notify.TwilioSmsSender;
import de.vorzimmer.store.MessageWriter;
import de.vorzimmer.store.Store;
import java.net.URI;
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

    /** Builds and starts it; the worker only if {@code twilio.account-sid}, {@code twilio.auth-token} and {@code twilio.from} are set. */
    public static Messaging start(Config config, Store store, Supplier<Book> book, Clock clock) {
        Objects.requireNonNull(config, "config == null");
        Duration giveUp = config.duration(Config.NOTIFY_GIVE_UP_AFTER);
        Duration timeout = config.duration(Config.NOTIFY_TIMEOUT);
        MessageWriter writer = new MessageWriter(store.database(), store.messages());
        OutboxWorker worker = null;
        var missing = config.secretsMissingFor(Config.TWILIO_ACCOUNT_SID, Config.TWILIO_AUTH_TOKEN, Config.TWILIO_FROM);
        if (missing.isEmpty()) {
            URI api = config.has(Config.TWILIO_API_URL) ? URI.create(config.string(Config.TWILIO_API_URL)) : null;
            TwilioSmsSender sender = TwilioSmsSender.create(config.string(Config.TWILIO_ACCOUNT_SID),
                    config.string(Config.TWILIO_AUTH_TOKEN), config.string(Config.TWILIO_FROM), api, timeout);
            // lease: one request can take up to three time-outs (connect, then socket reads); plus a commit
            worker = new OutboxWorker(store.outbox(), sender, clock, Backoff.STANDARD,
                    timeout.multipliedBy(3).plusSeconds(10), POLL);
            worker.start();
            LOG.info("SMS outbox: sending through Twilio{} (give up after {})", api == null ? "" : " at " + api, giveUp);
        } else {
            LOG.warn("SMS outbox: not sending, queued SMS wait until {} are set", missing);
        }
        OutboxWorker w = worker;
        Runnable wake = () -> {
            if (w != null) w.wake();
        };
        MessageDesk desk = new MessageDesk(writer, book, clock, giveUp, wake);
        DigestScheduler digests = new DigestScheduler(store.outbox(), book, clock, giveUp, wake);
        return new Messaging(writer, worker, desk, digests);
    }

    public MessageDesk desk() {
        return desk;
    }

    public DigestScheduler digests() {
        return digests;
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
        writer.close();
    }
}
