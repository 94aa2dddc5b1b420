package de.vorzimmer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test suite's PostgreSQL pass ({@link Database#TEST_POSTGRES_ENV}): each SQLite file path stands for a database of
 * its own on the test server, named after the path, so that two opens of one file (a server and the CLI, a child
 * process, a reopen after close) meet the same data and two files never do. An empty file is left at the path, so
 * code that asks whether the database exists sees what it would see with SQLite.
 */
final class TestDatabases {
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    private TestDatabases() {
    }

    static Database.Target forFile(String server, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String name = "vz_" + hash(absolute.toString());
        int query = server.indexOf('?');
        String base = query < 0 ? server : server.substring(0, query);
        String params = query < 0 ? "" : server.substring(query);
        int slash = base.lastIndexOf('/');
        if (!base.startsWith("jdbc:postgresql://") || slash < "jdbc:postgresql://".length()) {
            throw new StoreException(Database.TEST_POSTGRES_ENV + " is not a jdbc:postgresql://HOST:PORT/DB URL: " + server);
        }
        try {
            if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the folder for database " + file + ": " + e, e);
        }
        if (CREATED.add(name)) create(server, name);
        try {
            if (!Files.exists(absolute)) Files.createFile(absolute);
        } catch (IOException e) {
            throw new StoreException("cannot mark database file " + file + ": " + e, e);
        }
        return Database.Target.of(base.substring(0, slash + 1) + name + params);
    }

    private static void create(String server, String name) {
        try (Connection c = DriverManager.getConnection(server)) {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) throw e; // another process created it meanwhile
            }
        } catch (SQLException e) {
            throw new StoreException("test database " + name + " on " + server + ": " + e.getMessage(), e);
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
