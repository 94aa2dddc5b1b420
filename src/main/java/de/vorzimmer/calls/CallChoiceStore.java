package de.vorzimmer.calls;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What secretaries chose on ringing calls (put-through, message, voicemail), kept for the record; and who took each
 * call ({@link #claim}): the first choice on a call wins, for every secretary on every node sharing the database.
 */
public final class CallChoiceStore {
    private final Database db;

    public CallChoiceStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Records a choice; {@code carriedOut} says whether the PBX acted on it. Returns the row id. */
    public long add(String callId, String choice, String by, Instant at, boolean carriedOut) {
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c, "INSERT INTO call_choices "
                    + "(call_id, choice, chosen_by, chosen_at, carried_out) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, callId);
                p.setString(2, choice);
                p.setString(3, by);
                Sql.setInstant(p, 4, at);
                p.setBoolean(5, carriedOut);
                p.executeUpdate();
                return Sql.generatedId(p);
            }
        });
    }

    /** Who took a call, with what choice and when. */
    public record Claim(String callId, String choice, String by, Instant at) {
    }

    /**
     * Takes the call for {@code by} unless someone else took it first; the holder's further choices are hers to make.
     *
     * @return empty if the call is {@code by}'s (now or already); else the other secretary's claim that came first
     */
    public Optional<Claim> claim(String callId, String choice, String by, Instant at) {
        Objects.requireNonNull(callId, "callId == null");
        return db.write(c -> {
            int inserted;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO call_claims (call_id, choice, claimed_by, claimed_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING")) {
                p.setString(1, callId);
                p.setString(2, choice);
                p.setString(3, by);
                Sql.setInstant(p, 4, at);
                inserted = p.executeUpdate();
            }
            if (inserted == 1) return Optional.<Claim>empty();
            // the holder may choose again on her call (e.g. put through after all): her claim carries the new choice
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE call_claims SET choice = ? WHERE call_id = ? AND claimed_by = ?")) {
                p.setString(1, choice);
                p.setString(2, callId);
                p.setString(3, by);
                if (p.executeUpdate() == 1) return Optional.<Claim>empty();
            }
            return claimOf(c, callId); // empty if released in between: treated as taken by nobody
        });
    }

    /** Who took the call, if anyone. */
    public Optional<Claim> claimOf(String callId) {
        return db.read(c -> claimOf(c, callId));
    }

    private static Optional<Claim> claimOf(Connection c, String callId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT choice, claimed_by, claimed_at FROM call_claims WHERE call_id = ?")) {
            p.setString(1, callId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Claim(callId, rs.getString(1), rs.getString(2), Sql.instant(rs, "claimed_at")));
            }
        }
    }

    /** Gives the call back (the phone system refused the choice), if {@code by} holds it. */
    public boolean release(String callId, String by) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM call_claims WHERE call_id = ? AND claimed_by = ?")) {
                p.setString(1, callId);
                p.setString(2, by);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Deletes up to {@code limit} choices (and as many claims) made before {@code before}, oldest first; returns how many choices. */
    public int purgeBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        return db.write(c -> {
            Sql.deleteBatch(c, "call_claims", "call_id", "claimed_at < ?", limit, before.toEpochMilli());
            return Sql.deleteBatch(c, "call_choices", "id", "chosen_at < ?", limit, before.toEpochMilli());
        });
    }
}
