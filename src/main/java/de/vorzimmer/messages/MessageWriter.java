package de.vorzimmer.messages;

import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.GroupCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Messages through the store's {@link GroupCommit}: callers hand a message over and wait; what is waiting is committed
 * in one transaction (one fsync with {@code synchronous=FULL}, however many messages), and only then does each caller
 * learn its message's id. Nothing is acknowledged before its commit. A failed batch is written again one message per
 * transaction, so one bad message fails alone; a full queue makes a caller wait up to 10 s before it is refused.
 */
public final class MessageWriter implements AutoCloseable {
    public static final int MAX_BATCH = 256;
    static final GroupCommit.Settings SETTINGS = GroupCommit.Settings.of(MAX_BATCH, 10_000)
            .withQueueWait(Duration.ofSeconds(10)).splittingFailedBatches();

    private record Pending(Message message, LongFunction<List<NewNotification>> notifications) {
    }

    private final MessageStore messages;
    private final GroupCommit<Pending, Long> writer;

    public MessageWriter(Database db, MessageStore messages) {
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.writer = new GroupCommit<>("message-writer", db, SETTINGS, batch -> {
            List<Long> ids = new ArrayList<>(batch.size());
            for (Pending p : batch) ids.add(messages.add(p.message(), p.notifications()));
            return ids;
        });
    }

    /** The store the messages are written to. */
    MessageStore store() {
        return messages;
    }

    /** Queues the message; the future completes with its id after the commit, or with the failure. */
    public CompletableFuture<Long> submit(Message m, LongFunction<List<NewNotification>> notifications) {
        Objects.requireNonNull(m, "message == null");
        Objects.requireNonNull(notifications, "notifications == null");
        return writer.submit(new Pending(m, notifications));
    }

    /** Stores the message and returns its id once committed (blocking). */
    public long add(Message m, LongFunction<List<NewNotification>> notifications) {
        Objects.requireNonNull(m, "message == null");
        Objects.requireNonNull(notifications, "notifications == null");
        return writer.await(new Pending(m, notifications));
    }

    /** Writes what is queued, then stops; a message handed over later is refused. */
    @Override
    public void close() {
        writer.close();
    }
}
