package de.vorzimmer.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL notifications for one {@link Database}: a thread with a connection of its own that {@code LISTEN}s on
 * {@link Database#CHANGES_CHANNEL} and the channels asked for, and hands each notification to its handlers. It
 * starts with the first use and reconnects (every second) when the connection breaks; after a reconnect the change
 * hooks run, since notifications sent meanwhile are lost. A cheap query every few seconds notices a dead server,
 * which a connection that only listens would not.
 */
final class PgListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int WAIT_MS = 100;
    private static final long PING_EVERY_MS = 3_000;
    private static final long RECONNECT_MS = 1_000;

    private final Database.Target target;
    private final String where;
    private final String instance;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean closed;
    private Thread thread;

    private record Pending(String channel, CompletableFuture<Void> done) {
    }

    PgListener(Database.Target target, String where, String instance) {
        this.target = target;
        this.where = where;
        this.instance = instance;
    }

    /** Registers {@code handler} and returns once the channel is listened to (or after 10 s, if the server is away). */
    void listen(String channel, Consumer<String> handler) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException("bad channel name '" + channel + "'");
        handlers.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(handler);
        Pending p = new Pending(channel, new CompletableFuture<>());
        pending.add(p);
        start();
        try {
            p.done().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("database {}: not listening on {} yet ({}); will on reconnect", where, channel, e.getMessage());
        }
    }

    void onChange(Runnable hook) {
        hooks.add(hook);
        start();
    }

    long changes() {
        start();
        return changes.get();
    }

    private synchronized void start() {
        if (thread != null || closed) return;
        thread = new Thread(this::loop, "db-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        boolean connectedBefore = false;
        while (!closed) {
            Set<String> listening = new HashSet<>();
            try (Connection c = connect()) {
                listenTo(c, Database.CHANGES_CHANNEL, listening);
                for (String channel : handlers.keySet()) listenTo(c, channel, listening);
                if (connectedBefore) {
                    LOG.info("database {}: listening again; reloading what may have changed meanwhile", where);
                    changed();
                }
                connectedBefore = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                long pinged = System.currentTimeMillis();
                while (!closed) {
                    for (Pending p; (p = pending.poll()) != null; ) {
                        listenTo(c, p.channel(), listening);
                        p.done().complete(null);
                    }
                    PGNotification[] got = pg.getNotifications(WAIT_MS);
                    if (got != null) for (PGNotification n : got) dispatch(n);
                    if (System.currentTimeMillis() - pinged > PING_EVERY_MS) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        pinged = System.currentTimeMillis();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) break;
                LOG.warn("database {}: notifications interrupted: {}; reconnecting", where, e.getMessage());
                try {
                    Thread.sleep(RECONNECT_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (target.user() != null) p.setProperty("user", target.user());
        if (target.password() != null) p.setProperty("password", target.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "vorzimmer-listener");
        Connection c = DriverManager.getConnection(target.location(), p);
        c.setAutoCommit(true);
        return c;
    }

    private static void listenTo(Connection c, String channel, Set<String> listening) throws SQLException {
        if (!listening.add(channel)) return;
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel);
        }
    }

    private void dispatch(PGNotification n) {
        if (Database.CHANGES_CHANNEL.equals(n.getName())) {
            if (!instance.equals(n.getParameter())) changed();
            return;
        }
        List<Consumer<String>> list = handlers.get(n.getName());
        if (list == null) return;
        for (Consumer<String> h : list) {
            try {
                h.accept(n.getParameter());
            } catch (RuntimeException e) {
                LOG.warn("database {}: handler for {} failed: {}", where, n.getName(), e.toString());
            }
        }
    }

    private void changed() {
        changes.incrementAndGet();
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("database {}: change hook failed: {}", where, e.toString());
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        for (Pending p; (p = pending.poll()) != null; ) p.done().complete(null);
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
