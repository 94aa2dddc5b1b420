package de.vorzimmer.notify;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The notification outbox. Rows are written with what they tell about (see {@code MessageStore#add}); the worker
 * moves them through the claim/send/record protocol:
 * <ol>
 *   <li>{@link #claimDue}: {@code pending -> sending}, attempts + 1, committed before the provider is called. A
 *       conditional update, so of several workers (nodes) only one claims a row.</li>
 *   <li>the provider call, outside any transaction;</li>
 *   <li>{@link #markSent} ({@code sending -> sent} with the provider's id, and the messages it told about
 *       {@code new -> notified}, in one transaction), or {@link #markRetry} / {@link #markFailed}.</li>
 * </ol>
 * A row left in {@code sending} longer than the lease (its worker died between 1 and 3) is handed back to
 * {@code pending} by the next claim; {@link de.vorzimmer.notify.OutboxWorker} and {@code docs/messages.md} describe
 * the one window this leaves.
 */
public final class OutboxStore {
    private static final String COLUMNS = "id, dedupe_key, kind, channel, client_id, to_number, body, state, created_at, "
            + "next_attempt_at, give_up_at, attempts, claimed_at, sent_at, provider_id, last_error, delivery";
    private static final int MAX_ERROR = 1000;

    /**
     * What else changes, in the same transaction, when the provider accepted a notification: the feature that
     * queued it marks what it told about (messages go from new to notified).
     */
    @FunctionalInterface
    public interface SentHook {
        void sent(Connection c, long outboxId, Instant at) throws SQLException;

        SentHook NONE = (c, outboxId, at) -> { };
    }

    private final Database db;
    private final SentHook onSent;

    /** An outbox whose sent notifications change nothing else. */
    public OutboxStore(Database db) {
        this(db, SentHook.NONE);
    }

    public OutboxStore(Database db, SentHook onSent) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.onSent = Objects.requireNonNull(onSent, "onSent == null");
    }

    /**
     * Queues {@code n} about {@code messageIds} in the caller's transaction; returns its id, or empty if a
     * notification with its key was queued before (enqueueing is idempotent).
     */
    public static Optional<Long> enqueue(Connection c, NewNotification n, List<Long> messageIds) throws SQLException {
        long id;
        try (PreparedStatement p = Sql.insert(c, "INSERT INTO outbox (dedupe_key, kind, channel, client_id, to_number, "
                + "body, state, created_at, next_attempt_at, give_up_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
                + "ON CONFLICT (dedupe_key) DO NOTHING")) {
            p.setString(1, n.key());
            p.setString(2, n.kind().word());
            p.setString(3, n.channel().word());
            Sql.setString(p, 4, n.clientId());
            p.setString(5, n.to());
            p.setString(6, n.body());
            p.setString(7, NotificationState.PENDING.word());
            Sql.setInstant(p, 8, n.dueAt());
            Sql.setInstant(p, 9, n.dueAt());
            Sql.setInstant(p, 10, n.giveUpAt());
            if (p.executeUpdate() == 0) return Optional.empty();
            id = Sql.generatedId(p);
        }
        for (long m : messageIds) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO outbox_messages (outbox_id, message_id) VALUES (?, ?)")) {
                p.setLong(1, id);
                p.setLong(2, m);
                p.executeUpdate();
            }
        }
        return Optional.of(id);
    }

    /**
     * Queues a notification about no message (an appointment's confirmation), committed before it returns; empty if
     * one with its key was queued before.
     */
    public Optional<Long> enqueue(NewNotification n) {
        return db.write(c -> enqueue(c, n, List.of()));
    }

    public boolean exists(String key) {
        return db.read(c -> exists(c, key));
    }

    /** Whether a notification with {@code key} was ever queued, inside the caller's transaction. */
    public static boolean exists(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM outbox WHERE dedupe_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Claims up to {@code max} notifications due by {@code dueBy}, oldest due first: each goes {@code pending ->
     * sending} with one more attempt and {@code claimed_at = now}, committed before this returns. First claims anew
     * the rows claimed before {@code staleBefore} and never recorded (their worker died mid-send, or left them to be
     * asked about again): those are returned among the claimed ones whatever {@code max}, and as they were before
     * (with the abandoned claim's time) in {@code recovered}, so the caller can ask the provider about them.
     */
    public List<Notification> claimDue(Instant now, Instant dueBy, Instant staleBefore, int max,
                                       List<Notification> recovered) {
        return claimDue(now, dueBy, staleBefore, max, recovered, EnumSet.allOf(Channel.class));
    }

    /** As {@link #claimDue(Instant, Instant, Instant, int, List)}, for the notifications of {@code channels} only. */
    public List<Notification> claimDue(Instant now, Instant dueBy, Instant staleBefore, int max,
                                       List<Notification> recovered, Set<Channel> channels) {
        if (channels.isEmpty()) return List.of();
        String only = channelFilter(channels);
        return db.write(c -> {
            List<Notification> stale = select(c, "SELECT " + COLUMNS + " FROM outbox WHERE state = ? AND claimed_at < ?"
                            + only, List.of(NotificationState.SENDING.word(), staleBefore.toEpochMilli()));
            List<Notification> claimed = new ArrayList<>();
            for (Notification n : stale) {
                int count = update(c, "UPDATE outbox SET attempts = attempts + 1, claimed_at = ? WHERE id = ? AND state = ?",
                        now.toEpochMilli(), n.id(), NotificationState.SENDING.word());
                if (count != 1) continue;
                recovered.add(n);
                claimed.add(find(c, n.id()).orElseThrow());
            }
            List<Notification> due = select(c, "SELECT " + COLUMNS + " FROM outbox WHERE state = ? AND next_attempt_at <= ?"
                    + only + " ORDER BY next_attempt_at, id LIMIT ?",
                    List.of(NotificationState.PENDING.word(), dueBy.toEpochMilli(), max));
            for (Notification n : due) {
                int count = update(c, "UPDATE outbox SET state = ?, attempts = attempts + 1, claimed_at = ? "
                        + "WHERE id = ? AND state = ?", NotificationState.SENDING.word(), now.toEpochMilli(), n.id(),
                        NotificationState.PENDING.word());
                if (count == 1) claimed.add(find(c, n.id()).orElseThrow());
            }
            return claimed;
        });
    }

    /**
     * Records that the provider accepted claimed notification {@code id} as {@code providerId}, and moves the
     * messages it told about from new to notified. False if the row was not ours to record (no longer sending).
     */
    public boolean markSent(long id, String providerId, Instant at) {
        Objects.requireNonNull(providerId, "providerId == null");
        return db.write(c -> {
            int n = update(c, "UPDATE outbox SET state = ?, sent_at = ?, provider_id = ?, last_error = NULL "
                    + "WHERE id = ? AND state = ?", NotificationState.SENT.word(), at.toEpochMilli(), providerId, id,
                    NotificationState.SENDING.word());
            if (n == 0) return false;
            onSent.sent(c, id, at);
            return true;
        });
    }

    /**
     * Records the provider's delivery report for the notification it accepted as {@code providerId}
     * ({@code delivered}, {@code undelivered}, {@code failed}, with the provider's error code); false if no sent
     * notification has that id. Reports that only say the message is on its way ({@code queued}, {@code sending},
     * {@code sent}) change nothing.
     */
    public boolean recordDelivery(String providerId, String status, String errorCode, Instant at) {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(status, "status == null");
        if (!FINAL_DELIVERY.contains(status)) return false;
        String delivery = clip(errorCode == null || errorCode.isBlank() ? status : status + " " + errorCode);
        return db.write(c -> update(c, "UPDATE outbox SET delivery = ?, delivery_at = ? WHERE provider_id = ? AND state = ?",
                delivery, at.toEpochMilli(), providerId, NotificationState.SENT.word()) > 0);
    }

    /** Twilio's final message states; the others say it is still on its way. */
    private static final java.util.Set<String> FINAL_DELIVERY = java.util.Set.of("delivered", "undelivered", "failed",
            "read", "canceled");

    /** A transient failure of a claimed notification: due again at {@code next}. */
    public boolean markRetry(long id, Instant next, String error) {
        return db.write(c -> update(c, "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ? "
                + "WHERE id = ? AND state = ?", NotificationState.PENDING.word(), next.toEpochMilli(), clip(error), id,
                NotificationState.SENDING.word()) == 1);
    }

    /** A claimed notification that is no longer wanted: {@code sending -> cancelled}, no further attempt. */
    public boolean markCancelled(long id, String why) {
        return db.write(c -> update(c, "UPDATE outbox SET state = ?, last_error = ? WHERE id = ? AND state = ?",
                NotificationState.CANCELLED.word(), clip(why), id, NotificationState.SENDING.word()) == 1);
    }

    /**
     * In the caller's transaction: cancels notification {@code id} if it is still pending (not claimed yet); true if
     * it was.
     */
    public static boolean cancelPending(Connection c, long id, String why) throws SQLException {
        return update(c, "UPDATE outbox SET state = ?, last_error = ? WHERE id = ? AND state = ?",
                NotificationState.CANCELLED.word(), clip(why), id, NotificationState.PENDING.word()) == 1;
    }

    /** The ids of the messages notification {@code id} tells about. */
    public List<Long> messageIds(long id) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT message_id FROM outbox_messages WHERE outbox_id = ? ORDER BY message_id")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    List<Long> out = new ArrayList<>();
                    while (rs.next()) out.add(rs.getLong(1));
                    return out;
                }
            }
        });
    }

    /**
     * Records claimed notification {@code id} as sent by an earlier, abandoned attempt: as the first of the provider's
     * {@code candidates} (newest first) that no notification has recorded yet, as {@link #markSent} would. Empty if
     * every candidate is another notification's (identical texts to one number), or the row was not ours to record.
     */
    public Optional<String> adoptEarlier(long id, List<String> candidates, Instant at) {
        return db.write(c -> {
            for (String sid : candidates) {
                try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM outbox WHERE provider_id = ?")) {
                    p.setString(1, sid);
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next()) continue;
                    }
                }
                int n = update(c, "UPDATE outbox SET state = ?, sent_at = ?, provider_id = ?, last_error = NULL "
                        + "WHERE id = ? AND state = ?", NotificationState.SENT.word(), at.toEpochMilli(), sid, id,
                        NotificationState.SENDING.word());
                if (n == 0) return Optional.<String>empty();
                onSent.sent(c, id, at);
                return Optional.of(sid);
            }
            return Optional.<String>empty();
        });
    }

    /** A permanent failure, or the give-up time passed: no further attempt. */
    public boolean markFailed(long id, String error) {
        return db.write(c -> update(c, "UPDATE outbox SET state = ?, last_error = ? WHERE id = ? AND state = ?",
                NotificationState.FAILED.word(), clip(error), id, NotificationState.SENDING.word()) == 1);
    }

    public Optional<Notification> get(long id) {
        return db.read(c -> find(c, id));
    }

    /** Notifications newest first, all or only those in {@code state}. */
    public List<Notification> list(NotificationState state, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        return db.read(c -> state == null
                ? select(c, "SELECT " + COLUMNS + " FROM outbox ORDER BY id DESC LIMIT ?", List.of(limit))
                : select(c, "SELECT " + COLUMNS + " FROM outbox WHERE state = ? ORDER BY id DESC LIMIT ?",
                        List.of(state.word(), limit)));
    }

    /** The notifications about message {@code messageId}, oldest first. */
    public List<Notification> forMessage(long messageId) {
        return db.read(c -> select(c, "SELECT o.id, o.dedupe_key, o.kind, o.channel, o.client_id, o.to_number, o.body, o.state, "
                + "o.created_at, o.next_attempt_at, o.give_up_at, o.attempts, o.claimed_at, o.sent_at, o.provider_id, "
                + "o.last_error, o.delivery FROM outbox o JOIN outbox_messages om ON om.outbox_id = o.id WHERE om.message_id = ? "
                + "ORDER BY o.id", List.of(messageId)));
    }

    /**
     * Deletes up to {@code limit} notifications created before {@code before} that were sent or failed, with their
     * links to messages; returns how many. Pending and sending ones are never deleted, nor the messages.
     */
    public int purgeFinishedBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        String batch = "SELECT id FROM outbox WHERE state IN (?, ?, ?) AND created_at < ? ORDER BY id LIMIT ?";
        List<Object> params = List.of(NotificationState.SENT.word(), NotificationState.FAILED.word(),
                NotificationState.CANCELLED.word(),
                before.toEpochMilli(), limit);
        return db.write(c -> {
            // the links first (they reference outbox.id); the same ordered batch is selected twice in one transaction
            update(c, "DELETE FROM outbox_messages WHERE outbox_id IN (" + batch + ")", params.toArray());
            return update(c, "DELETE FROM outbox WHERE id IN (" + batch + ")", params.toArray());
        });
    }

    /**
     * How many notifications of one kind, going out on one channel, are in one state now (sent and failed ones stay
     * for {@code retention.outbox}).
     */
    public record Tally(String kind, String channel, String state, long count) {
    }

    /** The outbox counted by kind, channel and state: one grouped read, for the operator's metrics. */
    public List<Tally> tallies() {
        return db.read(c -> {
            List<Tally> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT kind, state, COUNT(*) AS n FROM outbox GROUP BY kind, state");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Tally(rs.getString("kind"), channelOf(rs.getString("kind")), rs.getString("state"),
                        rs.getLong("n")));
            }
            return out;
        });
    }

    /** The channel a notification of this kind goes out on: every kind is an SMS so far. */
    static String channelOf(String kind) {
        return "sms";
    }

    /** When the next pending notification is due, if any. */
    public Optional<Instant> nextDue() {
        return nextDue(EnumSet.allOf(Channel.class));
    }

    /** When the next pending notification of {@code channels} is due, if any. */
    public Optional<Instant> nextDue(Set<Channel> channels) {
        if (channels.isEmpty()) return Optional.empty();
        String only = channelFilter(channels);
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT MIN(next_attempt_at) AS due FROM outbox WHERE state = ?"
                    + only)) {
                p.setString(1, NotificationState.PENDING.word());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(Sql.instant(rs, "due")) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** {@code AND channel IN (...)} unless every channel is wanted; the words are our own enum's, not input. */
    private static String channelFilter(Set<Channel> channels) {
        if (channels.size() == Channel.values().length) return "";
        return " AND channel IN (" + String.join(", ", channels.stream().map(ch -> "'" + ch.word() + "'").toList()) + ")";
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            return p.executeUpdate();
        }
    }

    private static Optional<Notification> find(Connection c, long id) throws SQLException {
        List<Notification> l = select(c, "SELECT " + COLUMNS + " FROM outbox WHERE id = ?", List.of(id));
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static List<Notification> select(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
            try (ResultSet rs = p.executeQuery()) {
                List<Notification> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Notification(rs.getLong("id"), rs.getString("dedupe_key"),
                            NotificationKind.parse(rs.getString("kind")), Channel.parse(rs.getString("channel")),
                            rs.getString("client_id"),
                            rs.getString("to_number"), rs.getString("body"),
                            NotificationState.parse(rs.getString("state")), Sql.instant(rs, "created_at"),
                            Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "give_up_at"), rs.getInt("attempts"),
                            Sql.instant(rs, "claimed_at"), Sql.instant(rs, "sent_at"), rs.getString("provider_id"),
                            rs.getString("last_error"), rs.getString("delivery")));
                }
                return out;
            }
        }
    }
}
