package de.vorzimmer.twilio;


import de.vorzimmer.book.Action;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.GroupCommit;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * The {@code twilio_calls} table (migrations V3, V7). Every method is blocking JDBC: call it off the event loop.
 * Settling a call (recorded, missed) stores its message and marks the row only once,
 * so a retried callback or a status arriving after the recording leaves exactly one message (see {@link #settle}).
 * Every change of a call's live state (stored, next stage, answered, ended) is a conditional write that reports
 * whether it changed the row: the webhooks publish the change only then, so a retried webhook publishes nothing.
 */
public final class TwilioCallStore implements AutoCloseable {
    private static final String COLUMNS = "call_sid, created_at, client_id, line, caller_number, caller_name, action, "
            + "urgent, language, screen_targets, accepted, outcome, message_id, stage, decision_json";

    private record Pending(CallRecord record, Instant at) {
    }

    private final Database db;
    private final GroupCommit<Pending, Boolean> writer;

    public TwilioCallStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
        // one statement for the whole batch; each row's result says whether it was new (a retried /voice finds it)
        this.writer = new GroupCommit<>("twilio-call-writer", db, GroupCommit.Settings.of(500, 10_000), this::insertAll);
    }

    /**
     * Queues a new call's row; the future completes once it is committed, with true if this stored the row and
     * false if one for the CallSid was there already (a retried webhook). Rows queued together are committed in
     * one transaction (one fsync for a burst of calls instead of one each), so {@code /twilio/voice} can answer
     * only after its row is durable without every call waiting for its own disk flush.
     */
    public CompletableFuture<Boolean> insertCommitted(CallRecord r, Instant at) {
        return writer.submit(new Pending(r, at));
    }

    /** Commits what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * Stores the decision for a new call; a retried webhook for the same CallSid keeps the first. True if this
     * stored the row.
     */
    public boolean insert(CallRecord r, Instant at) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                bind(p, r, at);
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * A batch of new calls' rows, one statement for all of them (the writer's transaction commits them together);
     * for each, whether it was stored (a retried webhook's row was there already).
     */
    private List<Boolean> insertAll(List<Pending> batch) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                for (Pending x : batch) {
                    bind(p, x.record(), x.at());
                    p.addBatch();
                }
                int[] changed = p.executeBatch();
                List<Boolean> stored = new ArrayList<>(batch.size());
                for (int n : changed) stored.add(n == 1);
                return stored;
            }
        });
    }

    private static final String INSERT = "INSERT INTO twilio_calls (" + COLUMNS
            + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_sid) DO NOTHING";

    private static void bind(PreparedStatement p, CallRecord r, Instant at) throws SQLException {
        p.setString(1, r.callSid());
        p.setLong(2, r.createdAt().toEpochMilli());
        setString(p, 3, r.clientId());
        setString(p, 4, r.line());
        setString(p, 5, r.callerNumber());
        setString(p, 6, r.callerName());
        p.setString(7, r.action().word());
        p.setBoolean(8, r.urgent());
        p.setString(9, r.region() == null ? r.language() : r.language() + "-" + r.region());
        p.setString(10, String.join("\n", r.screenTargets()));
        p.setBoolean(11, r.accepted());
        setString(p, 12, r.outcome() == null ? null : r.outcome().word());
        if (r.messageId() == null) p.setNull(13, Types.BIGINT);
        else p.setLong(13, r.messageId());
        p.setString(14, r.stage().word());
        setString(p, 15, r.decision() == null ? null : r.decision().encode());
        p.setLong(16, at.toEpochMilli());
    }

    public Optional<CallRecord> find(String callSid) {
        return db.read(c -> find(c, callSid));
    }

    /** The client pressed 1 in the whisper; false if the call is unknown. */
    public boolean markAccepted(String callSid, Instant at) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE twilio_calls SET accepted = ?, updated_at = ? WHERE call_sid = ?")) {
                p.setBoolean(1, true);
                p.setLong(2, at.toEpochMilli());
                p.setString(3, callSid);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Marks how the call ended, unless it already ended; true if this call set it. */
    public boolean markOutcome(String callSid, CallRecord.Outcome outcome, Instant at) {
        return db.write(c -> setOutcome(c, callSid, outcome, null, at));
    }

    /**
     * Moves a running call (no outcome yet) to {@code stage} if it is at one of {@code from}; true if this moved it.
     * A retried webhook, or one that arrives after the call went further, moves nothing.
     */
    public boolean advance(String callSid, Action stage, Set<Action> from, Instant at) {
        Objects.requireNonNull(stage, "stage == null");
        if (from.isEmpty()) throw new IllegalArgumentException("from is empty");
        String marks = String.join(", ", Collections.nCopies(from.size(), "?"));
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE twilio_calls SET stage = ?, updated_at = ? "
                    + "WHERE call_sid = ? AND outcome IS NULL AND ended_at IS NULL AND COALESCE(stage, action) IN ("
                    + marks + ")")) {
                p.setString(1, stage.word());
                p.setLong(2, at.toEpochMilli());
                p.setString(3, callSid);
                int i = 4;
                for (Action a : from) p.setString(i++, a.word());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Notes that the call is over; true if this is the first to note it. */
    public boolean markEnded(String callSid, Instant at) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE twilio_calls SET ended_at = ?, updated_at = ? "
                    + "WHERE call_sid = ? AND ended_at IS NULL")) {
                p.setLong(1, at.toEpochMilli());
                p.setLong(2, at.toEpochMilli());
                p.setString(3, callSid);
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * Settles the call with a message (a recording, or a missed call), in one transaction: unless the call already
     * ended otherwise, its outcome is claimed with a conditional update, {@code store} stores the message inside the
     * same transaction (it must join it: a store that writes through another thread would wait for ever), and the
     * call is marked over. So two callbacks for one call, on one node or on several, leave exactly one message, and a
     * crash leaves either both the message and the mark or neither. An unknown CallSid (a recording taken by the
     * fallback TwiML) is first inserted as {@code unknown}; null skips unknown calls. Returns the message id, or
     * empty if the call had ended before.
     */
    public Optional<Long> settle(String callSid, CallRecord.Outcome outcome, CallRecord unknown, Instant at,
                                 ToLongFunction<CallRecord> store) {
        return db.write(c -> {
            Optional<CallRecord> row = find(c, callSid);
            CallRecord rec;
            if (row.isPresent()) {
                if (row.get().outcome() != null) return Optional.<Long>empty();
                rec = row.get();
            } else {
                if (unknown == null) return Optional.<Long>empty();
                insert(unknown, at);
                rec = unknown;
            }
            if (!setOutcome(c, callSid, outcome, null, at)) return Optional.<Long>empty();
            long id = store.applyAsLong(rec);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE twilio_calls SET message_id = ?, ended_at = COALESCE(ended_at, ?) WHERE call_sid = ?")) {
                p.setLong(1, id);
                p.setLong(2, at.toEpochMilli());
                p.setString(3, callSid);
                p.executeUpdate();
            }
            return Optional.of(id);
        });
    }

    private static boolean setOutcome(Connection c, String callSid, CallRecord.Outcome outcome, Long messageId,
                                      Instant at) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE twilio_calls SET outcome = ?, message_id = ?, "
                + "updated_at = ? WHERE call_sid = ? AND outcome IS NULL")) {
            p.setString(1, outcome.word());
            if (messageId == null) p.setNull(2, Types.BIGINT);
            else p.setLong(2, messageId);
            p.setLong(3, at.toEpochMilli());
            p.setString(4, callSid);
            return p.executeUpdate() == 1;
        }
    }

    private static Optional<CallRecord> find(Connection c, String callSid) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM twilio_calls WHERE call_sid = ?")) {
            p.setString(1, callSid);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String lang = rs.getString("language");
                int dash = lang.indexOf('-');
                String targets = rs.getString("screen_targets");
                long mid = rs.getLong("message_id");
                Long messageId = rs.wasNull() ? null : mid;
                return Optional.of(new CallRecord(rs.getString("call_sid"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("client_id"),
                        rs.getString("line"), rs.getString("caller_number"), rs.getString("caller_name"),
                        Action.parse(rs.getString("action")), rs.getBoolean("urgent"),
                        dash < 0 ? lang : lang.substring(0, dash), dash < 0 ? null : lang.substring(dash + 1),
                        targets.isEmpty() ? List.of() : Arrays.asList(targets.split("\n")),
                        rs.getBoolean("accepted"), CallRecord.Outcome.parse(rs.getString("outcome")), messageId,
                        rs.getString("stage") == null ? null : Action.parse(rs.getString("stage")),
                        decision(rs.getString("decision_json"))));
            }
        }
    }

    private static CallDecision decision(String json) {
        return json == null ? null : CallDecision.fromJson(new JsonObject(json));
    }

    /**
     * Deletes up to {@code limit} rows last updated before {@code updatedBefore}, oldest first; returns how many.
     * Rows of calls that began after {@code startedBefore} are kept whatever their outcome says (a call is marked
     * answered while it still runs): pass the longest a call can last, and a call in progress keeps its row. Static:
     * it needs no writer of its own, so the housekeeping job runs it on the database directly.
     */
    public static int purge(Database db, Instant updatedBefore, Instant startedBefore, int limit) {
        Objects.requireNonNull(updatedBefore, "updatedBefore == null");
        Objects.requireNonNull(startedBefore, "startedBefore == null");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM twilio_calls WHERE call_sid IN (SELECT call_sid "
                    + "FROM twilio_calls WHERE updated_at < ? AND created_at < ? "
                    + "ORDER BY updated_at, call_sid LIMIT ?)")) {
                p.setLong(1, updatedBefore.toEpochMilli());
                p.setLong(2, startedBefore.toEpochMilli());
                p.setInt(3, limit);
                return p.executeUpdate();
            }
        });
    }

    private static void setString(PreparedStatement p, int index, String s) throws SQLException {
        if (s == null) p.setNull(index, Types.VARCHAR);
        else p.setString(index, s);
    }
}
