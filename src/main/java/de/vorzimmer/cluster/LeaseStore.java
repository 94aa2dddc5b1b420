package de.vorzimmer.cluster;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code leases} table: who holds each piece of once-only work, until when. Taking and renewing a lease is one
 * conditional statement, so two nodes can never both get it: the database orders them.
 */
public final class LeaseStore {
    private final Database db;

    /** A lease as stored. */
    public record Lease(String name, String holder, Instant acquiredAt, Instant renewedAt, Instant expiresAt) {
    }

    public LeaseStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /**
     * Takes or renews {@code name} for {@code holder} until {@code now + ttl}: renews it if {@code holder} has it,
     * takes it over if its holder let it expire before {@code now}, creates it if nobody ever had it. True if
     * {@code holder} holds it now.
     */
    public boolean acquire(String name, String holder, Instant now, Duration ttl) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(holder, "holder == null");
        long at = now.toEpochMilli();
        long until = now.plus(ttl).toEpochMilli();
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE leases SET acquired_at = CASE WHEN holder = ? "
                    + "THEN acquired_at ELSE ? END, holder = ?, renewed_at = ?, expires_at = ? "
                    + "WHERE name = ? AND (holder = ? OR expires_at < ?)")) {
                p.setString(1, holder);
                p.setLong(2, at);
                p.setString(3, holder);
                p.setLong(4, at);
                p.setLong(5, until);
                p.setString(6, name);
                p.setString(7, holder);
                p.setLong(8, at);
                if (p.executeUpdate() == 1) return true;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO leases (name, holder, acquired_at, renewed_at, "
                    + "expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                p.setString(1, name);
                p.setString(2, holder);
                p.setLong(3, at);
                p.setLong(4, at);
                p.setLong(5, until);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Gives {@code name} up if {@code holder} has it, so another node need not wait for it to expire. */
    public boolean release(String name, String holder) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
                p.setString(1, name);
                p.setString(2, holder);
                return p.executeUpdate() == 1;
            }
        });
    }

    public Optional<Lease> get(String name) {
        return all().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Every lease, by name. */
    public List<Lease> all() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT name, holder, acquired_at, renewed_at, expires_at FROM leases ORDER BY name");
                 ResultSet rs = p.executeQuery()) {
                List<Lease> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Lease(rs.getString("name"), rs.getString("holder"), Sql.instant(rs, "acquired_at"),
                            Sql.instant(rs, "renewed_at"), Sql.instant(rs, "expires_at")));
                }
                return out;
            }
        });
    }
}
