package de.vorzimmer.usage;

import de.vorzimmer.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code call_times} table (migration V40): when a call was answered, by whom and in which stage, and when it
 * ended. Both writes are conditional, so the same live state seen on several nodes, or twice, changes a row once.
 * Blocking JDBC: call it off the event loop.
 */
public final class CallTimes {
    /** One answered call. {@code endedAt} is null while it runs (or when its end was never heard of). */
    public record Answered(String callId, String clientId, String stage, String answeredBy, Instant answeredAt,
                           Instant endedAt) {
        public Answered {
            Objects.requireNonNull(callId, "callId == null");
            Objects.requireNonNull(answeredAt, "answeredAt == null");
        }

        /** Answered by a secretary: in the screen stage, or the dialplan's fallback that rings the secretaries. */
        public boolean bySecretary() {
            return "screen".equals(stage) || "fallback".equals(stage);
        }
    }

    private final Database db;

    public CallTimes(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Records the first answer of a call; returns false if the call had one already. */
    public boolean answered(String callId, String clientId, String stage, String answeredBy, Instant at) {
        Objects.requireNonNull(callId, "callId == null");
        Objects.requireNonNull(at, "at == null");
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO call_times (call_id, client_id, stage, "
                    + "answered_by, answered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING")) {
                p.setString(1, callId);
                setText(p, 2, clientId);
                setText(p, 3, stage);
                setText(p, 4, answeredBy);
                p.setLong(5, at.toEpochMilli());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Records the end of an answered call; returns false for a call never answered or already ended. */
    public boolean ended(String callId, Instant at) {
        Objects.requireNonNull(callId, "callId == null");
        Objects.requireNonNull(at, "at == null");
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE call_times SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL")) {
                // an end heard before the answer it follows (clock skew between nodes) is taken as the answer time
                p.setLong(1, at.toEpochMilli());
                p.setString(2, callId);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Calls answered in {@code [from, to)}, oldest first. */
    public List<Answered> answeredBetween(Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT call_id, client_id, stage, answered_by, answered_at, "
                    + "ended_at FROM call_times WHERE answered_at >= ? AND answered_at < ? ORDER BY answered_at, call_id")) {
                p.setLong(1, from.toEpochMilli());
                p.setLong(2, to.toEpochMilli());
                try (ResultSet rs = p.executeQuery()) {
                    List<Answered> out = new ArrayList<>();
                    while (rs.next()) {
                        long ended = rs.getLong("ended_at");
                        Instant end = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
                        out.add(new Answered(rs.getString("call_id"), rs.getString("client_id"), rs.getString("stage"),
                                rs.getString("answered_by"), Instant.ofEpochMilli(rs.getLong("answered_at")), end));
                    }
                    return out;
                }
            }
        });
    }

    private static void setText(PreparedStatement p, int index, String s) throws java.sql.SQLException {
        if (s == null) p.setNull(index, Types.VARCHAR);
        else p.setString(index, s);
    }
}
