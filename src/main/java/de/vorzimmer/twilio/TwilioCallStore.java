package de.vorzimmer.twilio;

import de.vorzimmer.book.Action;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.GroupCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * The {@code twilio_calls} table (migration V3). Every method is blocking JDBC: call it off the event loop.
 * Settling a call (recorded, missed) stores its message and marks the row only once,
 * so a retried callback or a status arriving after the recording leaves exactly one message (see {@link #settle}).
 */
public final class TwilioCallStore implements AutoCloseable {
    private static final String COLUMNS = "call_sid, created_at, client_id, line, caller_number, caller_name, action, "
            + "urgent, language, screen_targets, accepted, outcome, message_id";
    /** Settling is serialised per CallSid (striped), so two callbacks for one call cannot both leave a message. */
    private final Object[] locks = new Object[64];

    private record Pending(CallRecord record, Instant at) {
    }

    private final Database db;
    private final GroupCommit<Pending> writer;

    public TwilioCallStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
        this.writer = new GroupCommit<>("twilio-call-writer", db, 500, 10_000, batch -> {
            for (Pending p : batch) insert(p.record(), p.at());
        });
    }

    /**
     * Queues a new call's row; the future completes once it is committed. Rows queued together are committed in
     * one transaction (one fsync for a burst of calls instead of one each), so {@code /twilio/voice} can answer
     * only after its row is durable without every call waiting for its own disk flush.
     */
    public CompletableFuture<Void> insertCommitted(CallRecord r, Instant at) {
        return writer.submit(new Pending(r, at));
    }

    /** Commits what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    /** Stores the decision for a new call; a retried webhook for the same CallSid keeps the first. */
    public void insert(CallRecord r, Instant at) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO twilio_calls (" + COLUMNS
                    + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_sid) DO NOTHING")) {
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
                p.setLong(14, at.toEpochMilli());
                p.executeUpdate();
            }
            return null;
        });
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
     * Settles the call with a message (a recording, or a missed call): unless the call already ended otherwise,
     * {@code store} stores the message (and returns its id once committed), then the call is marked. Returns the
     * message id, or empty if the call had ended before (nothing is stored then). An unknown CallSid (a recording
     * taken by the fallback TwiML) is first inserted as {@code unknown}; null skips unknown calls.
     *
     * <p>The message is committed before the call is marked, so a crash in between keeps the message (and at worst
     * adds a missed-call message later), never loses it.
     */
    public Optional<Long> settle(String callSid, CallRecord.Outcome outcome, CallRecord unknown, Instant at,
                                 ToLongFunction<CallRecord> store) {
        synchronized (locks[Math.floorMod(callSid.hashCode(), locks.length)]) {
            Optional<CallRecord> row = find(callSid);
            CallRecord rec;
            if (row.isPresent()) {
                if (row.get().outcome() != null) return Optional.empty();
                rec = row.get();
            } else {
                if (unknown == null) return Optional.empty();
                insert(unknown, at);
                rec = unknown;
            }
            long id = store.applyAsLong(rec);
            db.write(c -> setOutcome(c, callSid, outcome, id, at));
            return Optional.of(id);
        }
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
                        rs.getBoolean("accepted"), CallRecord.Outcome.parse(rs.getString("outcome")), messageId));
            }
        }
    }

    private static void setString(PreparedStatement p, int index, String s) throws SQLException {
        if (s == null) p.setNull(index, Types.VARCHAR);
        else p.setString(index, s);
    }
}
