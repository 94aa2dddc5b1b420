package de.vorzimmer.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Copies every table of an SQLite database into an empty PostgreSQL database with the same schema (both opened by
 * this program, so both carry the same migrations): in one transaction on the target, parents before the tables that
 * refer to them, values converted to the target's column types (SQLite keeps booleans as 0 and 1), identity sequences
 * set past the copied ids, and each table's rows counted on both sides afterwards. Leases are not copied: they belong
 * to the nodes running now. The target must hold no rows (its schema may exist: a node may have been started on it).
 */
public final class DatabaseCopy {
    /** Tables never copied: Flyway's own history (each side has its own) and the nodes' leases. */
    static final Set<String> NOT_COPIED = Set.of("flyway_schema_history", "leases");
    private static final int BATCH = 1_000;

    /** A table's rows in the source and, after the copy, in the target. */
    public record TableCount(String table, long source, long target) {
        public boolean matches() {
            return source == target;
        }
    }

    private DatabaseCopy() {
    }

    /**
     * The tables of {@code target} (PostgreSQL, not yet migrated) that hold rows: the copy refuses a target unless this
     * is empty. Flyway's history does not count.
     */
    public static List<String> tablesWithRows(Database.Target target) {
        if (!target.postgres()) throw new IllegalArgumentException("target " + target.describe() + " is not PostgreSQL");
        java.util.Properties p = new java.util.Properties();
        if (target.user() != null) p.setProperty("user", target.user());
        if (target.password() != null) p.setProperty("password", target.password());
        try (Connection c = java.sql.DriverManager.getConnection(target.location(), p)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM "
                    + "information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                    + "ORDER BY table_name")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            List<String> withRows = new ArrayList<>();
            for (String t : tables) {
                if (t.equals("flyway_schema_history")) continue;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM \"" + t.replace("\"", "") + "\")")) {
                    if (rs.next() && rs.getBoolean(1)) withRows.add(t);
                }
            }
            return withRows;
        } catch (SQLException e) {
            throw new StoreException("database " + target.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies every table of {@code from} (SQLite) into {@code to} (PostgreSQL) and returns each table's counts.
     *
     * @throws StoreException if a table cannot be copied (nothing is left in the target then)
     */
    public static List<TableCount> copy(Database from, Database to) {
        Objects.requireNonNull(from, "from == null");
        Objects.requireNonNull(to, "to == null");
        if (from.shared() || !to.shared()) throw new IllegalArgumentException("copies from SQLite to PostgreSQL only");
        List<String> sourceTables = from.read(DatabaseCopy::sqliteTables);
        List<String> order = to.read(c -> parentsFirst(c, sourceTables));
        to.write(c -> {
            for (String table : order) copyTable(from, c, table);
            for (String table : order) advanceIdentity(c, table);
            return null;
        });
        List<TableCount> counts = new ArrayList<>();
        for (String table : order) counts.add(new TableCount(table, from.read(c -> count(c, table)), to.read(c -> count(c, table))));
        return counts;
    }

    private static List<String> sqliteTables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) out.add(name);
            }
        }
        return out;
    }

    /** The tables the target has too, each after the tables its foreign keys refer to. */
    private static List<String> parentsFirst(Connection c, List<String> tables) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String t : tables) {
            String table = t.toLowerCase(Locale.ROOT);
            try (ResultSet rs = meta.getTables(null, null, table, new String[]{"TABLE"})) {
                if (!rs.next()) continue; // a table of an earlier release (such as schema_version) that no longer exists
            }
            Set<String> refs = new LinkedHashSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, null, table)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME");
                    if (!parent.equals(table)) refs.add(parent);
                }
            }
            parents.put(table, refs);
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (order.size() < parents.size()) {
            boolean progress = false;
            for (var e : parents.entrySet()) {
                if (done.contains(e.getKey())) continue;
                if (done.containsAll(e.getValue().stream().filter(parents::containsKey).toList())) {
                    order.add(e.getKey());
                    done.add(e.getKey());
                    progress = true;
                }
            }
            if (!progress) throw new StoreException("tables refer to each other in a cycle: " + parents);
        }
        return order;
    }

    private static void copyTable(Database from, Connection target, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (ResultSet rs = target.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) types.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
        }
        from.read(source -> {
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData m = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    String col = m.getColumnName(i).toLowerCase(Locale.ROOT);
                    if (!types.containsKey(col)) {
                        throw new StoreException("table " + table + ": column " + col + " is missing in the target");
                    }
                    columns.add(col);
                }
                String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
                try (PreparedStatement p = target.prepareStatement(sql)) {
                    int pending = 0;
                    while (rs.next()) {
                        for (int i = 0; i < columns.size(); i++) set(p, i + 1, rs, i + 1, types.get(columns.get(i)), table, columns.get(i));
                        p.addBatch();
                        if (++pending == BATCH) {
                            p.executeBatch();
                            pending = 0;
                        }
                    }
                    if (pending > 0) p.executeBatch();
                }
            }
            return null;
        });
    }

    private static void set(PreparedStatement p, int index, ResultSet rs, int column, int type, String table, String name)
            throws SQLException {
        Object v = rs.getObject(column);
        if (v == null) {
            p.setNull(index, type);
            return;
        }
        switch (type) {
            case Types.BOOLEAN, Types.BIT -> p.setBoolean(index, v instanceof Number n ? n.longValue() != 0
                    : Boolean.parseBoolean(v.toString()) || "1".equals(v.toString()));
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
                if (!(v instanceof Number n)) throw new StoreException("table " + table + ", column " + name + ": '"
                        + v + "' is not a number");
                p.setLong(index, n.longValue());
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> p.setBytes(index, rs.getBytes(column));
            default -> p.setString(index, rs.getString(column));
        }
    }

    /** An identity column's sequence continues after the highest id copied, so the next insert gets a new one. */
    private static void advanceIdentity(Connection c, String table) throws SQLException {
        String sequence;
        try (PreparedStatement p = c.prepareStatement("SELECT pg_get_serial_sequence(?, column_name) FROM "
                + "information_schema.columns WHERE table_schema = current_schema() AND table_name = ? "
                + "AND is_identity = 'YES'")) {
            p.setString(1, table);
            p.setString(2, table);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return;
                sequence = rs.getString(1);
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "SELECT setval(?, COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)")) {
            p.setString(1, sequence);
            p.execute();
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
