package de.vorzimmer.messages;

import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;
import de.vorzimmer.store.StateConflictException;

import de.vorzimmer.notify.NewNotification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Messages for clients, with the history of their states. {@link #add} returns only after the commit, so a
 * message may be acknowledged (to the caller, the console, an SMS) as soon as it returns; called inside another
 * {@link Database#write} it joins that transaction (this is how {@link MessageWriter} commits many at once).
 */
public final class MessageStore {
    private static final String COLUMNS = "id, created_at, client_id, line, caller_number, caller_name, kind, text, "
            + "recording_path, urgent, state, state_changed_at, state_changed_by, call_id, callback_wanted, intake_json";

    /**
     * What another feature does in the same transaction when a message is stored or changes state (the escalation
     * chain of an urgent message starts with it, and ends when the message is read). Must not block beyond SQL.
     */
    public interface Hooks {
        Hooks NONE = new Hooks() { };

        default void added(Connection c, Message m, long id) throws SQLException {
        }

        default void stateChanged(Connection c, Message before, MessageState to, String by, Instant at)
                throws SQLException {
        }
    }

    private final Database db;
    private volatile Hooks hooks = Hooks.NONE;

    public MessageStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Sets what else happens in the transactions that store a message or change its state. */
    public void hooks(Hooks h) {
        this.hooks = Objects.requireNonNull(h, "hooks == null");
    }

    /** Stores a message (its id is ignored) and returns its id once committed. */
    public long add(Message m) {
        return add(m, id -> List.of());
    }

    /**
     * Stores a message and, in the same transaction, the notifications {@code notifications} makes for its id
     * (an urgent SMS); returns the id once committed. A notification whose key is already queued is skipped.
     */
    public long add(Message m, LongFunction<List<NewNotification>> notifications) {
        Objects.requireNonNull(m, "message == null");
        Objects.requireNonNull(notifications, "notifications == null");
        return db.write(c -> {
            long id;
            try (PreparedStatement p = Sql.insert(c, "INSERT INTO messages (created_at, client_id, line, "
                    + "caller_number, caller_name, kind, text, recording_path, urgent, state, state_changed_at, "
                    + "state_changed_by, call_id, callback_wanted, intake_json, caller_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Sql.setInstant(p, 1, m.createdAt());
                Sql.setString(p, 2, m.clientId());
                Sql.setString(p, 3, m.line());
                Sql.setString(p, 4, m.callerNumber());
                Sql.setString(p, 5, m.callerName());
                p.setString(6, m.kind().word());
                Sql.setString(p, 7, m.text());
                Sql.setString(p, 8, m.recordingPath());
                p.setBoolean(9, m.urgent());
                p.setString(10, m.state().word());
                Sql.setInstant(p, 11, m.stateChangedAt());
                Sql.setString(p, 12, m.stateChangedBy());
                Sql.setString(p, 13, m.callId());
                p.setBoolean(14, m.callbackWanted());
                Sql.setString(p, 15, m.intakeJson());
                Sql.setString(p, 16, callerKey(m.callerNumber()));
                p.executeUpdate();
                id = Sql.generatedId(p);
            }
            history(c, id, m.stateChangedAt(), null, m.state(), m.stateChangedBy());
            for (NewNotification n : notifications.apply(id)) OutboxStore.enqueue(c, n, List.of(id));
            hooks.added(c, m, id);
            return id;
        });
    }

    /**
     * As {@link #add}, unless a message of {@code m}'s kind for {@code m}'s call is stored already (check and insert
     * in one transaction): a PBX may report the same missed call or recording more than once. Returns the new id,
     * or empty when it was stored before.
     */
    public OptionalLong addOnce(Message m, LongFunction<List<NewNotification>> notifications) {
        Objects.requireNonNull(m, "message == null");
        if (m.callId() == null) throw new IllegalArgumentException("addOnce needs the message's call id");
        return db.write(c -> has(c, m.callId(), m.kind()) ? OptionalLong.empty() : OptionalLong.of(add(m, notifications)));
    }

    /** Whether a message of this kind for this call is stored already. */
    public boolean has(String callId, MessageKind kind) {
        return db.read(c -> has(c, callId, kind));
    }

    private static boolean has(Connection c, String callId, MessageKind kind) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM messages WHERE call_id = ? AND kind = ?")) {
            p.setString(1, callId);
            p.setString(2, kind.word());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Digits of a caller's number that the {@code caller_key} index holds: every spelling of a number ends in them. */
    static final int CALLER_KEY_DIGITS = 7;

    /**
     * The index key of a caller's number as written (national, international, with spaces or dashes): its last
     * {@value #CALLER_KEY_DIGITS} digits; null for no number (migration V70 computes the same for older rows).
     */
    public static String callerKey(String number) {
        if (number == null) return null;
        StringBuilder digits = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char ch = number.charAt(i);
            if (ch == ' ' || ch == '-' || ch == '/' || ch == '(' || ch == ')' || ch == '+' || ch == '.') continue;
            digits.append(ch);
        }
        if (digits.length() == 0) return null;
        return digits.length() <= CALLER_KEY_DIGITS ? digits.toString() : digits.substring(digits.length() - CALLER_KEY_DIGITS);
    }

    /**
     * {@code clientId}'s messages whose caller number may be {@code callerE164}, newest first, at most {@code limit}:
     * the candidates share its last digits (an index read, however long the client's history); the caller compares
     * them in E.164.
     */
    public List<Message> fromCaller(String clientId, String callerE164, int limit) {
        Objects.requireNonNull(clientId, "clientId == null");
        String key = callerKey(callerE164);
        if (key == null) return List.of();
        return db.read(c -> query(c, "SELECT " + COLUMNS + " FROM messages WHERE client_id = ? AND caller_key = ? "
                + "ORDER BY created_at DESC LIMIT ?", List.of(clientId, key, limit)));
    }

    /** How many messages the store holds (all clients, all states). */
    public long count() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM messages"); ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    public Optional<Message> get(long id) {
        return db.read(c -> find(c, id));
    }

    /** The messages {@code filter} selects, newest first. */
    public List<Message> list(MessageFilter filter) {
        Objects.requireNonNull(filter, "filter == null");
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM messages WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.clientId() != null) {
            sql.append(" AND client_id = ?");
            params.add(filter.clientId());
        }
        if (filter.state() != null) {
            sql.append(" AND state = ?");
            params.add(filter.state().word());
        }
        if (filter.urgent() != null) {
            sql.append(" AND urgent = ?");
            params.add(filter.urgent());
        }
        if (filter.since() != null) {
            sql.append(" AND created_at >= ?");
            params.add(filter.since().toEpochMilli());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(filter.limit());
        return db.read(c -> query(c, sql.toString(), params));
    }

    /**
     * The non-urgent messages of {@code clientId} still {@code new} that were created after {@code from} and at or
     * before {@code to}, oldest first: what a digest tells about.
     */
    /**
     * In one transaction: unless {@code key} is queued already, reads {@code clientId}'s non-urgent messages still
     * new that were created in ({@code from}, {@code to}], lets {@code build} make the digest of them (empty: none
     * to send) and queues it linked to them. Returns the outbox id if one was queued.
     */
    public Optional<Long> enqueueDigest(String key, String clientId, Instant from, Instant to,
                                        Function<List<Message>, List<NewNotification>> build) {
        return db.write(c -> {
            if (OutboxStore.exists(c, key)) return Optional.<Long>empty();
            List<Message> messages = forDigest(c, clientId, from, to);
            if (messages.isEmpty()) return Optional.<Long>empty();
            List<NewNotification> ns = build.apply(messages);
            if (ns.isEmpty()) return Optional.<Long>empty();
            if (!ns.get(0).key().equals(key)) throw new IllegalArgumentException("digest key " + ns.get(0).key() + " != " + key);
            Optional<Long> first = Optional.empty();
            for (NewNotification n : ns) {
                Optional<Long> id = OutboxStore.enqueue(c, n, messages.stream().map(Message::id).toList());
                if (first.isEmpty()) first = id;
            }
            return first;
        });
    }

    /** {@code clientId}'s urgent messages not read yet (unconfirmed), oldest first, at most {@code limit}. */
    public List<Message> unconfirmedUrgent(String clientId, int limit) {
        return db.read(c -> query(c, "SELECT " + COLUMNS + " FROM messages WHERE client_id = ? AND urgent = ? AND state IN "
                + "(?, ?) ORDER BY created_at, id LIMIT ?", List.of(clientId, true, MessageState.NEW.word(),
                MessageState.NOTIFIED.word(), limit)));
    }

    /** Whether the digest with outbox key {@code key} was queued before. */
    public boolean digestQueued(String key) {
        return db.read(c -> OutboxStore.exists(c, key));
    }

    static List<Message> forDigest(Connection c, String clientId, Instant from, Instant to) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM messages WHERE client_id = ? AND urgent = ? AND state = ? "
                + "AND created_at > ? AND created_at <= ? ORDER BY created_at, id",
                List.of(clientId, false, MessageState.NEW.word(), from.toEpochMilli(), to.toEpochMilli()));
    }

    /**
     * Moves message {@code id} to {@code state}, recording who and when (in the message and its history); returns
     * the updated message, or empty if there is no such message. Moving to the state it is in changes nothing.
     *
     * @throws StateConflictException if the lifecycle does not allow the move (it only goes forward)
     */
    public Optional<Message> setState(long id, MessageState state, String by, Instant at) {
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(at, "at == null");
        return db.write(c -> {
            Optional<Message> current = find(c, id);
            if (current.isEmpty()) return Optional.empty();
            MessageState from = current.get().state();
            if (from == state) return current;
            if (!from.canMoveTo(state)) {
                throw new StateConflictException("message " + id + " is " + from.word() + "; it cannot go back to "
                        + state.word() + " (new, notified, read, done)");
            }
            Instant when = at.isBefore(current.get().createdAt()) ? current.get().createdAt() : at;
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE messages SET state = ?, state_changed_at = ?, state_changed_by = ? WHERE id = ?")) {
                p.setString(1, state.word());
                Sql.setInstant(p, 2, when);
                Sql.setString(p, 3, by);
                p.setLong(4, id);
                p.executeUpdate();
            }
            history(c, id, when, from, state, by);
            hooks.stateChanged(c, current.get(), state, by, when);
            return find(c, id);
        });
    }

    /**
     * Moves every message linked to outbox entry {@code outboxId} that is still {@code new} to {@code notified};
     * runs inside the caller's transaction (the one that records the SMS as sent).
     */
    /** Marks the messages a sent notification told about: the outbox's {@link OutboxStore.SentHook} for messages. */
    public static final OutboxStore.SentHook NOTIFIED_WHEN_SENT = (c, outboxId, at) -> markNotified(c, outboxId, "sms", at);

    static void markNotified(Connection c, long outboxId, String by, Instant at) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT m.id FROM messages m JOIN outbox_messages om "
                + "ON om.message_id = m.id WHERE om.outbox_id = ? AND m.state = ?")) {
            p.setLong(1, outboxId);
            p.setString(2, MessageState.NEW.word());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        for (long id : ids) {
            try (PreparedStatement p = c.prepareStatement("UPDATE messages SET state = ?, state_changed_at = ?, "
                    + "state_changed_by = ? WHERE id = ? AND state = ?")) {
                p.setString(1, MessageState.NOTIFIED.word());
                Sql.setInstant(p, 2, at);
                p.setString(3, by);
                p.setLong(4, id);
                p.setString(5, MessageState.NEW.word());
                p.executeUpdate();
            }
            history(c, id, at, MessageState.NEW, MessageState.NOTIFIED, by);
        }
    }

    /**
     * In the caller's transaction: moves message {@code id} to {@code state} if the lifecycle allows it and it is not
     * there yet, with its history row and the hooks; returns whether it moved.
     */
    public boolean moveForward(Connection c, long id, MessageState state, String by, Instant at) throws SQLException {
        Optional<Message> current = find(c, id);
        if (current.isEmpty()) return false;
        MessageState from = current.get().state();
        if (from == state || !from.canMoveTo(state)) return false;
        Instant when = at.isBefore(current.get().createdAt()) ? current.get().createdAt() : at;
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE messages SET state = ?, state_changed_at = ?, state_changed_by = ? WHERE id = ? AND state = ?")) {
            p.setString(1, state.word());
            Sql.setInstant(p, 2, when);
            Sql.setString(p, 3, by);
            p.setLong(4, id);
            p.setString(5, from.word());
            if (p.executeUpdate() == 0) return false;
        }
        history(c, id, when, from, state, by);
        hooks.stateChanged(c, current.get(), state, by, when);
        return true;
    }

    /** Message {@code id} inside the caller's transaction. */
    public static Optional<Message> get(Connection c, long id) throws SQLException {
        return find(c, id);
    }

    /** The history of message {@code id}, oldest first. */
    public List<StateChange> history(long id) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT message_id, at, from_state, to_state, changed_by "
                    + "FROM message_history WHERE message_id = ? ORDER BY id")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    List<StateChange> out = new ArrayList<>();
                    while (rs.next()) {
                        String from = rs.getString("from_state");
                        out.add(new StateChange(rs.getLong("message_id"), Sql.instant(rs, "at"),
                                from == null ? null : MessageState.parse(from), MessageState.parse(rs.getString("to_state")),
                                rs.getString("changed_by")));
                    }
                    return out;
                }
            }
        });
    }

    private static void history(Connection c, long id, Instant at, MessageState from, MessageState to, String by)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO message_history (message_id, at, from_state, "
                + "to_state, changed_by) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, id);
            Sql.setInstant(p, 2, at);
            Sql.setString(p, 3, from == null ? null : from.word());
            p.setString(4, to.word());
            Sql.setString(p, 5, by);
            p.executeUpdate();
        }
    }

    private static List<Message> query(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
            try (ResultSet rs = p.executeQuery()) {
                List<Message> out = new ArrayList<>();
                while (rs.next()) out.add(row(rs));
                return out;
            }
        }
    }

    private static Optional<Message> find(Connection c, long id) throws SQLException {
        List<Message> found = query(c, "SELECT " + COLUMNS + " FROM messages WHERE id = ?", List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static Message row(ResultSet rs) throws SQLException {
        return new Message(rs.getLong("id"), Sql.instant(rs, "created_at"), rs.getString("client_id"),
                rs.getString("line"), rs.getString("caller_number"), rs.getString("caller_name"),
                MessageKind.parse(rs.getString("kind")), rs.getString("text"), rs.getString("recording_path"),
                rs.getBoolean("urgent"), MessageState.parse(rs.getString("state")), Sql.instant(rs, "state_changed_at"),
                rs.getString("state_changed_by"), rs.getString("call_id"), rs.getBoolean("callback_wanted"),
                rs.getString("intake_json"));
    }
}
