package de.vorzimmer.store;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Messages for clients. {@link #add} returns only after the commit, so a message may be acknowledged
 * (to the caller, the console, an SMS) as soon as it returns.
 */
public final class MessageStore {
    private static final String COLUMNS = "id, created_at, client_id, line, caller_number, caller_name, kind, text, "
            + "recording_path, urgent, state, state_changed_at, state_changed_by, call_id";

    private final Database db;

    public MessageStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Stores a message (its id is ignored) and returns its id once committed. */
    public long add(Message m) {
        Objects.requireNonNull(m, "message == null");
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c, "INSERT INTO messages (created_at, client_id, line, "
                    + "caller_number, caller_name, kind, text, recording_path, urgent, state, state_changed_at, "
                    + "state_changed_by, call_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                p.executeUpdate();
                return Sql.generatedId(p);
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
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
                try (ResultSet rs = p.executeQuery()) {
                    List<Message> out = new ArrayList<>();
                    while (rs.next()) out.add(row(rs));
                    return out;
                }
            }
        });
    }

    /**
     * Moves message {@code id} to {@code state}, recording who and when; returns the updated message, or empty
     * if there is no such message.
     */
    public Optional<Message> setState(long id, MessageState state, String by, Instant at) {
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(at, "at == null");
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE messages SET state = ?, state_changed_at = ?, state_changed_by = ? WHERE id = ?")) {
                p.setString(1, state.word());
                Sql.setInstant(p, 2, at);
                Sql.setString(p, 3, by);
                p.setLong(4, id);
                if (p.executeUpdate() == 0) return Optional.empty();
            }
            return find(c, id);
        });
    }

    private static Optional<Message> find(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Message row(ResultSet rs) throws SQLException {
        return new Message(rs.getLong("id"), Sql.instant(rs, "created_at"), rs.getString("client_id"),
                rs.getString("line"), rs.getString("caller_number"), rs.getString("caller_name"),
                MessageKind.parse(rs.getString("kind")), rs.getString("text"), rs.getString("recording_path"),
                rs.getBoolean("urgent"), MessageState.parse(rs.getString("state")), Sql.instant(rs, "state_changed_at"),
                rs.getString("state_changed_by"), rs.getString("call_id"));
    }
}
