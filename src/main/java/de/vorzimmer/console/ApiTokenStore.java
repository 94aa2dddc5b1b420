package de.vorzimmer.console;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API tokens for machines, stored only as hashes. */
public final class ApiTokenStore {
    private static final String COLUMNS = "id, name, token_hash, created_at, created_by, last_used_at, revoked_at";

    private final Database db;

    public ApiTokenStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** One token as stored; {@code revokedAt} null while it is valid. */
    public record ApiToken(long id, String name, String tokenHash, Instant createdAt, String createdBy,
                           Instant lastUsedAt, Instant revokedAt) {
    }

    public long add(String name, String tokenHash, Instant at, String by) {
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c,
                    "INSERT INTO api_tokens (name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)")) {
                p.setString(1, name);
                p.setString(2, tokenHash);
                Sql.setInstant(p, 3, at);
                p.setString(4, by);
                p.executeUpdate();
                return Sql.generatedId(p);
            }
        });
    }

    /** The token with this hash if it was not revoked. */
    public Optional<ApiToken> findValid(String tokenHash) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
                p.setString(1, tokenHash);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    public List<ApiToken> all() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id");
                 ResultSet rs = p.executeQuery()) {
                List<ApiToken> out = new ArrayList<>();
                while (rs.next()) out.add(row(rs));
                return out;
            }
        });
    }

    public void touch(long id, Instant at) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
                Sql.setInstant(p, 1, at);
                p.setLong(2, id);
                return p.executeUpdate();
            }
        });
    }

    /** Revokes token {@code id}; true if it existed and was valid. */
    public boolean revoke(long id, Instant at) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Sql.setInstant(p, 1, at);
                p.setLong(2, id);
                return p.executeUpdate() > 0;
            }
        });
    }

    private static ApiToken row(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), rs.getString("token_hash"),
                Sql.instant(rs, "created_at"), rs.getString("created_by"), Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "revoked_at"));
    }
}
