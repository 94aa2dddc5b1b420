package de.vorzimmer.console;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Console users (secretaries and admins) with their password hashes. */
public final class UserStore {
    private static final String COLUMNS =
            "username, role, secretary_id, display_name, password_hash, created_at, changed_at, disabled";

    private final Database db;

    public UserStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Adds or replaces the user with this username. */
    public void put(ConsoleUser u) {
        Objects.requireNonNull(u, "user == null");
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO console_users (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET role = excluded.role, "
                    + "secretary_id = excluded.secretary_id, display_name = excluded.display_name, "
                    + "password_hash = excluded.password_hash, changed_at = excluded.changed_at, "
                    + "disabled = excluded.disabled")) {
                p.setString(1, u.username());
                p.setString(2, u.role().word());
                Sql.setString(p, 3, u.secretaryId());
                Sql.setString(p, 4, u.displayName());
                p.setString(5, u.passwordHash());
                Sql.setInstant(p, 6, u.createdAt());
                Sql.setInstant(p, 7, u.changedAt());
                p.setBoolean(8, u.disabled());
                return p.executeUpdate();
            }
        });
    }

    public Optional<ConsoleUser> get(String username) {
        Objects.requireNonNull(username, "username == null");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM console_users WHERE username = ?")) {
                p.setString(1, username);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every user, by username. */
    public List<ConsoleUser> all() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM console_users ORDER BY username");
                 ResultSet rs = p.executeQuery()) {
                List<ConsoleUser> out = new ArrayList<>();
                while (rs.next()) out.add(row(rs));
                return out;
            }
        });
    }

    public boolean anyAdmin() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM console_users WHERE role = ? LIMIT 1")) {
                p.setString(1, Role.ADMIN.word());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Removes the user; true if there was one. */
    public boolean delete(String username) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM console_users WHERE username = ?")) {
                p.setString(1, username);
                return p.executeUpdate() > 0;
            }
        });
    }

    private static ConsoleUser row(ResultSet rs) throws SQLException {
        return new ConsoleUser(rs.getString("username"), Role.parse(rs.getString("role")), rs.getString("secretary_id"),
                rs.getString("display_name"), rs.getString("password_hash"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "changed_at"), rs.getBoolean("disabled"));
    }
}
