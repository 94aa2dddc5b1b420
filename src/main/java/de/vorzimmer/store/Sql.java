package de.vorzimmer.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;

/** Small JDBC helpers shared by the stores: instants as epoch milliseconds, nullable parameters, new keys. */
public final class Sql {
    private Sql() {
    }

    public static void setInstant(PreparedStatement p, int index, Instant t) throws SQLException {
        if (t == null) p.setNull(index, Types.BIGINT);
        else p.setLong(index, t.toEpochMilli());
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /**
     * A text parameter; a NUL character (which PostgreSQL refuses in text, and which no name, number, note or path
     * means) is stored as U+FFFD on either database, so outside text with one is stored the same way on both.
     */
    public static void setString(PreparedStatement p, int index, String s) throws SQLException {
        if (s == null) p.setNull(index, Types.VARCHAR);
        else p.setString(index, s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD'));
    }

    /** The key the database assigned to the row just inserted by {@code p}. */
    public static long generatedId(PreparedStatement p) throws SQLException {
        try (ResultSet keys = p.getGeneratedKeys()) {
            if (!keys.next()) throw new SQLException("insert returned no generated key");
            return keys.getLong(1);
        }
    }

    public static PreparedStatement insert(java.sql.Connection c, String sql) throws SQLException {
        return c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    /**
     * Deletes at most {@code limit} rows of {@code table} matching {@code where} (with {@code params}), lowest
     * {@code key} first; returns how many. One statement, portable to PostgreSQL; the housekeeping job calls it
     * in a loop of short transactions rather than deleting everything at once.
     */
    public static int deleteBatch(java.sql.Connection c, String table, String key, String where, int limit, Object... params)
            throws SQLException {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key
                + " FROM " + table + " WHERE (" + where + ") ORDER BY " + key + " LIMIT ?)")) {
            int i = 1;
            for (Object o : params) p.setObject(i++, o);
            p.setInt(i, limit);
            return p.executeUpdate();
        }
    }

    /** What the store keeps of an instant: milliseconds, the resolution of the columns. */
    public static Instant truncate(Instant t) {
        return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
    }
}
