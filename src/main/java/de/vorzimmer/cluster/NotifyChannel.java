package de.vorzimmer.cluster;

import de.vorzimmer.store.Database;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notification channel between the nodes on the shared database, carrying JSON objects: notifications leave in
 * the order they were sent, from one thread of their own (so the notifying connection is never an event loop's);
 * those received arrive decoded, and an unreadable one is logged and dropped. PostgreSQL limits a notification to
 * 8000 bytes, so a payload over {@link #MAX_BYTES} must not be sent.
 */
final class NotifyChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyChannel.class);
    static final int MAX_BYTES = 7_900;

    private final Database database;
    private final String channel;
    private final String name;
    private final ExecutorService sender;

    /** The channel {@code channel} on {@code database}; {@code name} names its sender thread and its log lines. */
    NotifyChannel(Database database, String channel, String name) {
        this.database = database;
        this.channel = channel;
        this.name = name;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Hands every readable notification on the channel to {@code receiver}, on the database's listener thread. */
    void listen(Consumer<JsonObject> receiver) {
        database.listen(channel, payload -> {
            JsonObject o;
            try {
                o = new JsonObject(payload);
            } catch (DecodeException e) {
                LOG.warn("{}: unreadable notification ignored: {}", name, e.getMessage());
                return;
            }
            receiver.accept(o);
        });
    }

    /** The size of {@code payload} as a notification, to hold against {@link #MAX_BYTES}. */
    static int bytes(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Sends {@code payload} after all sent before; a failure to send goes to {@code failed}, on the sender thread. */
    void send(String payload, Consumer<RuntimeException> failed) {
        sender.execute(() -> {
            try {
                database.notify(channel, payload);
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        });
    }

    /** Stops sending, after what was sent already has left (waiting two seconds at most). */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
