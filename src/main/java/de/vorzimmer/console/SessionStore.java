package de.vorzimmer.console;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Console sessions, kept in the database so that every node on it honours them. Rows are keyed by the hash of
 * the session id; the id itself exists only in the user's cookie.
 */
public final class SessionStore {
    private final Database db;

    public SessionStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** One stored session. */
    public record Session(String key, String username, String csrfToken, Instant createdAt, Instant lastSeenAt) {
    }

    public void create(Session s, String userAgent) {
        Objects.requireNonNull(s, "session == null");
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO console_sessions "
                    + "(id_hash, username, csrf_token, created_at, last_seen_at, user_agent) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, s.key());
                p.setString(2, s.username());
                p.setString(3, s.csrfToken());
                Sql.setInstant(p, 4, s.createdAt());
                Sql.setInstant(p, 5, s.lastSeenAt());
                Sql.setString(p, 6, userAgent == null ? null
                        : userAgent.substring(0, Math.min(300, userAgent.length())));
                return p.executeUpdate();
            }
        });
    }

    public Optional<Session> get(String key) {
        Objects.requireNonNull(key, "key == null");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id_hash, username, csrf_token, created_at, "
                    + "last_seen_at FROM console_sessions WHERE id_hash = ?")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new Session(rs.getString(1), rs.getString(2), rs.getString(3),
                            Sql.instant(rs, "created_at"), Sql.instant(rs, "last_seen_at")));
                }
            }
        });
    }

    public void touch(String key, Instant at) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?")) {
                Sql.setInstant(p, 1, at);
                p.setString(2, key);
                Sql.setInstant(p, 3, at);
                return p.executeUpdate();
            }
        });
    }

    public void delete(String key) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM console_sessions WHERE id_hash = ?")) {
                p.setString(1, key);
                return p.executeUpdate();
            }
        });
    }

    /** Ends every session of a user (password changed, user removed or disabled). */
    public int deleteForUser(String username) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM console_sessions WHERE username = ?")) {
                p.setString(1, username);
                return p.executeUpdate();
            }
        });
    }

    /**
     * Deletes up to {@code limit} sessions idle since before {@code idleBefore} or created before
     * {@code createdBefore}; returns how many.
     */
    public int purge(Instant idleBefore, Instant createdBefore, int limit) {
        Objects.requireNonNull(idleBefore, "idleBefore == null");
        Objects.requireNonNull(createdBefore, "createdBefore == null");
        return db.write(c -> Sql.deleteBatch(c, "console_sessions", "id_hash", "last_seen_at < ? OR created_at < ?",
                limit, idleBefore.toEpochMilli(), createdBefore.toEpochMilli()));
    }
}
