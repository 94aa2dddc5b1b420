package de.vorzimmer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server for the tests that need one by nature (several nodes on one database, notifications, copying
 * into PostgreSQL): the second pass's server ({@link Database#TEST_POSTGRES_ENV}) or {@code VORZIMMER_TEST_PG_SERVER}
 * when {@code scripts/test} started one; otherwise a throw-away cluster of this JVM's own, started once with
 * {@code scripts/test-postgres} and stopped when the JVM exits.
 */
public final class TestPostgres {
    public static final String SERVER_ENV = "VORZIMMER_TEST_PG_SERVER";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static String server;

    private TestPostgres() {
    }

    /** The server's JDBC URL (maintenance database, user postgres, no password). */
    public static synchronized String server() {
        if (server != null) return server;
        String given = TestDb.postgresServer();
        if (given == null) given = System.getenv(SERVER_ENV);
        if (given == null || given.isBlank()) given = startOwn();
        server = given;
        return server;
    }

    /** A new, empty database on the server. */
    public static Database.Target newDatabase(String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000_000L + "_"
                + NEXT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return Database.Target.of(urlOf(name));
    }

    /** The URL of database {@code name} on the server. */
    public static String urlOf(String name) {
        String s = server();
        int q = s.indexOf('?');
        String base = q < 0 ? s : s.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : s.substring(q));
    }

    private static String startOwn() {
        try {
            Path dir = Files.createTempDirectory("vz-pg-");
            Path script = Path.of("scripts/test-postgres").toAbsolutePath();
            Process p = new ProcessBuilder(script.toString(), "up", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/test-postgres up failed: " + out);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder(script.toString(), "down", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // the JVM is going away; the folder is in the temp directory
                }
            }));
            String[] lines = out.split("\n");
            return lines[lines.length - 1].trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a PostgreSQL server for the tests: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
