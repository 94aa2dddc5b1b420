package de.vorzimmer.calls;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The call log: one row per decision an adapter acted on. Writes block on JDBC; adapters call
 * {@link #append(String, String, Instant, Decision)} off the event loop (it matches
 * {@link de.vorzimmer.routing.DecisionLog#record}).
 */
public final class CallLogStore {
    private final Database db;

    public CallLogStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Logs {@code decision} for the call; returns the row id. */
    public long append(String callId, String channel, Instant at, Decision decision) {
        return append(entry(callId, channel, at, decision));
    }

    /** The row {@code decision} is logged as (id 0: not stored yet). */
    public static CallLogEntry entry(String callId, String channel, Instant at, Decision decision) {
        Objects.requireNonNull(decision, "decision == null");
        return new CallLogEntry(0, at, callId, channel, decision.client(), decision.line(),
                decision.caller().number(), decision.caller().callerClass().word(),
                decision.status() == null ? null : decision.status().word(), decision.action().word(),
                decision.urgent(), DecisionJson.write(decision));
    }

    /** Stores {@code e} (its id is ignored); returns the row id. */
    public long append(CallLogEntry e) {
        Objects.requireNonNull(e, "entry == null");
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c, INSERT)) {
                bind(p, e);
                p.executeUpdate();
                return Sql.generatedId(p);
            }
        });
    }

    /**
     * Stores {@code entries} in one transaction with one prepared statement (the call log's group commit), in
     * order; their ids are ignored and the new ones not read back.
     */
    public void appendAll(List<CallLogEntry> entries) {
        Objects.requireNonNull(entries, "entries == null");
        if (entries.isEmpty()) return;
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                for (CallLogEntry e : entries) {
                    bind(p, Objects.requireNonNull(e, "entry == null"));
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    private static final String INSERT = "INSERT INTO call_log (at, call_id, channel, client_id, line, "
            + "caller_number, caller_class, status, action, urgent, decision_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bind(PreparedStatement p, CallLogEntry e) throws java.sql.SQLException {
        Sql.setInstant(p, 1, e.at());
        Sql.setString(p, 2, e.callId());
        p.setString(3, e.channel());
        Sql.setString(p, 4, e.clientId());
        Sql.setString(p, 5, e.line());
        Sql.setString(p, 6, e.callerNumber());
        Sql.setString(p, 7, e.callerClass());
        Sql.setString(p, 8, e.status());
        p.setString(9, e.action());
        p.setBoolean(10, e.urgent());
        p.setString(11, e.decisionJson());
    }

    /** Deletes up to {@code limit} entries logged before {@code before}, oldest first; returns how many. */
    public int purgeBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        return db.write(c -> Sql.deleteBatch(c, "call_log", "id", "at < ?", limit, before.toEpochMilli()));
    }

    /** The newest {@code limit} entries, newest first. */
    public List<CallLogEntry> recent(int limit) {
        return find(null, null, null, limit);
    }

    /**
     * The newest {@code limit} entries that match, newest first; a null criterion matches every entry.
     *
     * @param clientId only decisions for this client
     * @param callId   only decisions for this call (Asterisk unique id, Twilio CallSid)
     * @param since    only decisions made at or after it
     */
    public List<CallLogEntry> find(String clientId, String callId, Instant since, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (clientId != null) {
            where.append(" AND client_id = ?");
            params.add(clientId);
        }
        if (callId != null) {
            where.append(" AND call_id = ?");
            params.add(callId);
        }
        if (since != null) {
            where.append(" AND at >= ?");
            params.add(since.toEpochMilli());
        }
        params.add(limit);
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, at, call_id, channel, client_id, line, "
                    + "caller_number, caller_class, status, action, urgent, decision_json FROM call_log WHERE 1 = 1"
                    + where + " ORDER BY at DESC, id DESC LIMIT ?")) {
                for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
                try (ResultSet rs = p.executeQuery()) {
                    List<CallLogEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new CallLogEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("call_id"),
                                rs.getString("channel"), rs.getString("client_id"), rs.getString("line"),
                                rs.getString("caller_number"), rs.getString("caller_class"), rs.getString("status"),
                                rs.getString("action"), rs.getBoolean("urgent"), rs.getString("decision_json")));
                    }
                    return out;
                }
            }
        });
    }
}
