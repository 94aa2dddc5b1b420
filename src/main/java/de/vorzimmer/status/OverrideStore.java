package de.vorzimmer.status;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import de.vorzimmer.book.NumberPattern;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status and expect overrides. Times are kept to the millisecond; {@link #add} returns what was stored. */
public final class OverrideStore {
    private static final String COLUMNS = "o.id, o.client_id, o.kind, o.number, o.set_at, o.until_at, o.note, o.source";

    private final Database db;

    public OverrideStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Stores a new override (its id is ignored) and returns it with its id, as {@link #all} will return it. */
    public Override add(Override o) {
        Objects.requireNonNull(o, "override == null");
        Override stored = new Override(0, o.clientId(), o.kind(), o.number(), Sql.truncate(o.setAt()),
                Sql.truncate(o.until()), o.note(), o.source());
        long id = db.write(c -> {
            try (PreparedStatement p = Sql.insert(c, "INSERT INTO overrides "
                    + "(client_id, kind, number, set_at, until_at, note, source) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, stored.clientId());
                p.setString(2, stored.kind().word());
                Sql.setString(p, 3, stored.number() == null ? null : stored.number().toString());
                Sql.setInstant(p, 4, stored.setAt());
                Sql.setInstant(p, 5, stored.until());
                Sql.setString(p, 6, stored.note());
                p.setString(7, stored.source());
                p.executeUpdate();
                db.announceChange(c);
                return Sql.generatedId(p);
            }
        });
        return stored.withId(id);
    }

    /** Every override, oldest first. */
    public List<Override> all() {
        return query("SELECT " + COLUMNS + " FROM overrides o ORDER BY o.set_at, o.id", List.of());
    }

    public List<Override> forClient(String clientId) {
        Objects.requireNonNull(clientId, "clientId == null");
        return query("SELECT " + COLUMNS + " FROM overrides o WHERE o.client_id = ? ORDER BY o.set_at, o.id",
                List.of(clientId));
    }

    /**
     * The overrides that can still decide something at or after {@code t}, oldest first: status at any instant
     * from {@code t} on is the same computed from these as from {@link #all}. Dropped are those that ended before
     * {@code t} and those without an end that a newer override of the same sort, set by {@code t}, replaced
     * (a replaced one must go too: were only the newer, ended one dropped, the replaced one would look newest
     * again and come back to life).
     */
    public List<Override> activeOrFutureAt(Instant t) {
        Objects.requireNonNull(t, "t == null");
        long ms = t.toEpochMilli();
        String sql = "SELECT " + COLUMNS + " FROM overrides o WHERE "
                + "(o.until_at IS NOT NULL AND o.until_at >= ?) "
                + "OR (o.until_at IS NULL AND NOT EXISTS (SELECT 1 FROM overrides n "
                + "WHERE n.client_id = o.client_id AND n.set_at <= ? "
                + "AND (n.set_at > o.set_at OR (n.set_at = o.set_at AND n.id > o.id)) "
                + "AND ((o.kind <> 'expect' AND n.kind <> 'expect') "
                + "OR (o.kind = 'expect' AND n.kind = 'expect' AND n.number = o.number)))) "
                + "ORDER BY o.set_at, o.id";
        return query(sql, List.of(ms, ms));
    }

    /**
     * Deletes up to {@code limit} overrides that can decide nothing at or after {@code before} (the complement of
     * {@link #activeOrFutureAt}), so status from {@code before} on is unchanged; returns how many. Open-ended ones
     * that were replaced go first, the ended ones only when none of those is left: an ended override may be what
     * replaced an open-ended one, which would come back to life were it deleted first.
     */
    public int purgeEndedBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        long ms = before.toEpochMilli();
        return db.write(c -> {
            int n = Sql.deleteBatch(c, "overrides", "id", "until_at IS NULL AND EXISTS (SELECT 1 FROM overrides n "
                    + "WHERE n.client_id = overrides.client_id AND n.set_at <= ? "
                    + "AND (n.set_at > overrides.set_at OR (n.set_at = overrides.set_at AND n.id > overrides.id)) "
                    + "AND ((overrides.kind <> 'expect' AND n.kind <> 'expect') "
                    + "OR (overrides.kind = 'expect' AND n.kind = 'expect' AND n.number = overrides.number)))", limit, ms);
            if (n < limit) n += Sql.deleteBatch(c, "overrides", "id", "until_at IS NOT NULL AND until_at < ?", limit - n, ms);
            return n;
        });
    }

    private List<Override> query(String sql, List<Object> params) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
                try (ResultSet rs = p.executeQuery()) {
                    List<Override> out = new ArrayList<>();
                    while (rs.next()) out.add(row(rs));
                    return out;
                }
            }
        });
    }

    private static Override row(ResultSet rs) throws SQLException {
        String number = rs.getString("number");
        NumberPattern pattern = null;
        if (number != null) {
            boolean prefix = number.endsWith("*");
            pattern = new NumberPattern(prefix ? number.substring(0, number.length() - 1) : number, prefix);
        }
        return new Override(rs.getLong("id"), rs.getString("client_id"), OverrideKind.parse(rs.getString("kind")),
                pattern, Sql.instant(rs, "set_at"), Sql.instant(rs, "until_at"), rs.getString("note"),
                rs.getString("source"));
    }
}
