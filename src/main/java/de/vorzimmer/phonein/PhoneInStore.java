package de.vorzimmer.phonein;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The phone-in line's tables (migration V5): PIN attempts and lockouts per client, and the dialog state of Twilio
 * phone-in calls by CallSid. Blocking JDBC: call off the event loop.
 */
public final class PhoneInStore {
    private final Database db;

    public PhoneInStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Where the client's PIN stands at {@code now}: recent wrong PINs and a lock in force. */
    public PinLockout.PinState pinState(String clientId, Instant now) {
        Objects.requireNonNull(clientId, "clientId == null");
        long from = now.minus(PinLockout.WINDOW).toEpochMilli();
        return db.read(c -> {
            List<PinLockout.Attempt> attempts = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT at, ok FROM phonein_pin_attempts WHERE client_id = ? AND at > ? ORDER BY at, id")) {
                p.setString(1, clientId);
                p.setLong(2, from);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) attempts.add(new PinLockout.Attempt(Sql.instant(rs, "at"), rs.getBoolean("ok")));
                }
            }
            Instant lockedUntil = null;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT MAX(locked_until) FROM phonein_lockouts WHERE client_id = ? AND locked_at <= ?")) {
                p.setString(1, clientId);
                p.setLong(2, now.toEpochMilli());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        long v = rs.getLong(1);
                        if (!rs.wasNull()) lockedUntil = Instant.ofEpochMilli(v);
                    }
                }
            }
            return PinLockout.state(attempts, lockedUntil, now);
        });
    }

    public void recordAttempt(String clientId, boolean ok, Instant at, String channel, String callId, String caller) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO phonein_pin_attempts "
                    + "(client_id, at, ok, channel, call_id, caller) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, clientId);
                Sql.setInstant(p, 2, at);
                p.setBoolean(3, ok);
                p.setString(4, channel);
                Sql.setString(p, 5, callId);
                Sql.setString(p, 6, caller);
                p.executeUpdate();
            }
            return null;
        });
    }

    public void lock(String clientId, Instant at, Instant until, int failures, String channel, String callId,
                     String caller) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO phonein_lockouts "
                    + "(client_id, locked_at, locked_until, failures, channel, call_id, caller) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, clientId);
                Sql.setInstant(p, 2, at);
                Sql.setInstant(p, 3, until);
                p.setInt(4, failures);
                p.setString(5, channel);
                Sql.setString(p, 6, callId);
                Sql.setString(p, 7, caller);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The dialog state of a Twilio phone-in call (opaque text), or empty. */
    public Optional<String> session(String callSid) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT state_json FROM phonein_sessions WHERE call_sid = ?")) {
                p.setString(1, callSid);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public void saveSession(String callSid, String state, Instant at) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE phonein_sessions SET state_json = ?, updated_at = ? "
                    + "WHERE call_sid = ?")) {
                p.setString(1, state);
                Sql.setInstant(p, 2, at);
                p.setString(3, callSid);
                if (p.executeUpdate() == 1) return null;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO phonein_sessions "
                    + "(call_sid, state_json, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
                p.setString(1, callSid);
                p.setString(2, state);
                Sql.setInstant(p, 3, at);
                Sql.setInstant(p, 4, at);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Drops up to {@code limit} sessions not touched since {@code updatedBefore} of calls that began before
     * {@code startedBefore} (so a call still running keeps its dialog); returns how many.
     */
    public int purgeSessions(Instant updatedBefore, Instant startedBefore, int limit) {
        Objects.requireNonNull(updatedBefore, "updatedBefore == null");
        Objects.requireNonNull(startedBefore, "startedBefore == null");
        return db.write(c -> Sql.deleteBatch(c, "phonein_sessions", "call_sid", "updated_at < ? AND created_at < ?",
                limit, updatedBefore.toEpochMilli(), startedBefore.toEpochMilli()));
    }

    /**
     * Drops up to {@code limit} PIN attempts and lockouts from before {@code before}, attempts first; returns how
     * many. Never those the lockout rule can still see: attempts within {@link PinLockout#WINDOW} of {@code now} and
     * lockouts not yet over stay whatever {@code before} says.
     */
    public int purgePins(Instant before, Instant now, int limit) {
        Objects.requireNonNull(before, "before == null");
        Objects.requireNonNull(now, "now == null");
        Instant attemptsBefore = earliest(before, now.minus(PinLockout.WINDOW));
        Instant lockoutsBefore = earliest(before, now);
        return db.write(c -> {
            int n = Sql.deleteBatch(c, "phonein_pin_attempts", "id", "at < ?", limit, attemptsBefore.toEpochMilli());
            if (n < limit) {
                n += Sql.deleteBatch(c, "phonein_lockouts", "id", "locked_until < ?", limit - n,
                        lockoutsBefore.toEpochMilli());
            }
            return n;
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
