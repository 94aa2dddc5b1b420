package de.vorzimmer.console;

import de.vorzimmer.store.Database;
import de.vorzimmer.usage.UsageCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;

/**
 * A caller's earlier calls to a client, newest first, for the screen-pop: when, what the routing decided, and who
 * answered (from {@code call_times}). Read from the call log by client and number (index of migration V41); dry runs
 * of the routing API are not calls and are left out. Blocking JDBC.
 */
public final class CallHistory {
    static final int LIMIT = 5;

    private final Database db;

    public CallHistory(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Up to {@link #LIMIT} calls from {@code number} (E.164) to {@code clientId} before {@code before}, except {@code callId}. */
    public JsonArray earlier(String clientId, String number, String callId, Instant before) {
        JsonArray out = new JsonArray();
        if (clientId == null || number == null || number.isEmpty()) return out;
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT l.call_id, l.at, l.action, t.answered_by, t.stage "
                    + "FROM call_log l LEFT JOIN call_times t ON t.call_id = l.call_id "
                    + "WHERE l.client_id = ? AND l.caller_number = ? AND l.at < ? AND l.channel <> ? "
                    + "ORDER BY l.at DESC LIMIT ?")) {
                p.setString(1, clientId);
                p.setString(2, number);
                p.setLong(3, before.toEpochMilli());
                p.setString(4, UsageCounter.DRY_RUN_CHANNEL);
                p.setInt(5, LIMIT + 1);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next() && out.size() < LIMIT) {
                        String id = rs.getString("call_id");
                        if (id != null && id.equals(callId)) continue;
                        out.add(new JsonObject().put("at", Instant.ofEpochMilli(rs.getLong("at")).toString())
                                .put("action", rs.getString("action")).put("answeredBy", rs.getString("answered_by"))
                                .put("stage", rs.getString("stage")));
                    }
                }
            }
            return out;
        });
    }
}
