package de.vorzimmer.status;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/** Which secretaries are off duty. A secretary with no record counts as on duty. */
public final class DutyStore {
    private final Database db;

    public DutyStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Records that {@code secretaryId} went on or off duty at {@code at}. */
    public void set(String secretaryId, boolean onDuty, Instant at, String source) {
        Objects.requireNonNull(secretaryId, "secretaryId == null");
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(source, "source == null");
        db.write(c -> {
            // INSERT ... ON CONFLICT DO UPDATE: the same statement in SQLite (3.24+) and PostgreSQL.
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO secretary_duty (secretary_id, on_duty, changed_at, source) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (secretary_id) DO UPDATE SET on_duty = excluded.on_duty, "
                            + "changed_at = excluded.changed_at, source = excluded.source")) {
                p.setString(1, secretaryId);
                p.setBoolean(2, onDuty);
                Sql.setInstant(p, 3, at);
                p.setString(4, source);
                int n = p.executeUpdate();
                db.announceChange(c);
                return n;
            }
        });
    }

    public Set<String> offDuty() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT secretary_id FROM secretary_duty WHERE on_duty = ?")) {
                p.setBoolean(1, false);
                try (ResultSet rs = p.executeQuery()) {
                    Set<String> out = new HashSet<>();
                    while (rs.next()) out.add(rs.getString(1));
                    return Set.copyOf(out);
                }
            }
        });
    }
}
