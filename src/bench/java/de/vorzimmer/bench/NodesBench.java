package de.vorzimmer.bench;

import de.vorzimmer.cli.Main;
import de.vorzimmer.routing.Call;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole servers ({@code vorzimmer serve}, one process per node) on SQLite beside PostgreSQL, one node beside two on one
 * PostgreSQL database, same run: FastAGI routed calls per second (the route script answered in full, the call-log row
 * written) and durable messages per second ({@code POST /api/v1/messages}, acknowledged after the commit), with the
 * load spread over the nodes round-robin.
 *
 * <p>Usage: {@code NodesBench POSTGRES_URL [seconds=10] [agi-connections=8] [http-clients=16]}, POSTGRES_URL being a
 * server's maintenance database ({@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}); each row gets a new
 * database there. {@code scripts/bench-nodes} starts a throw-away PostgreSQL and runs it.
 */
public final class NodesBench {
    static final List<Call> CALLS = List.of(Call.of("030 1234567", "030 9876543"), Call.of("030 1234567", "030 5550001"),
            Call.of("040 5551230", "040 7778889"), Call.of("030 1234567", ""), Call.of("020 7946 0123", "07700 900999"));
    static final String PASSWORD = "bench-admin-password";

    private NodesBench() {
    }

    record Node(Process process, int http, int agi, String cookie, String csrf) {
    }

    record Row(String what, double callsPerSecond, long callErrors, double messagesPerSecond, long messageErrors) {
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        Path dir = Files.createTempDirectory("vz-bench-nodes");
        Path book = dir.resolve("book.yaml");
        try (InputStream in = NodesBench.class.getResourceAsStream(VorzimmerServer.DEMO_BOOK)) {
            Files.write(book, in.readAllBytes());
        }
        List<Row> rows = new ArrayList<>();
        rows.add(row("SQLite, 1 node", dir.resolve("sqlite/vz.db").toString(), 1, book, dir, seconds, connections, clients));
        rows.add(row("PostgreSQL, 1 node", newDatabase(server, "bench1"), 1, book, dir, seconds, connections, clients));
        rows.add(row("PostgreSQL, 2 nodes", newDatabase(server, "bench2"), 2, book, dir, seconds, connections, clients));
        System.out.printf("%n| database, nodes | routed calls/s (FastAGI, %d connections) | errors | durable messages/s "
                + "(HTTP, %d clients) | errors |%n|---|---:|---:|---:|---:|%n", connections, clients);
        for (Row r : rows) {
            System.out.printf("| %s | %.0f | %d | %.0f | %d |%n", r.what, r.callsPerSecond, r.callErrors,
                    r.messagesPerSecond, r.messageErrors);
        }
        announcementLatency(newDatabase(server, "latency"));
    }

    /**
     * How long a change committed through one database handle (a duty change, as a node makes it) takes to reach
     * another handle's change hook (another node's routing reload): commit to hook, 200 changes one after another.
     */
    static void announcementLatency(String url) throws Exception {
        de.vorzimmer.store.Database.Target t = de.vorzimmer.store.Database.Target.of(url);
        try (var a = de.vorzimmer.store.Database.open(t, de.vorzimmer.store.Durability.FULL);
             var b = de.vorzimmer.store.Database.open(t, de.vorzimmer.store.Durability.FULL)) {
            java.util.concurrent.atomic.AtomicLong heard = new java.util.concurrent.atomic.AtomicLong();
            b.onChange(() -> heard.set(System.nanoTime()));
            b.changeCount();
            Thread.sleep(500);
            var duty = new de.vorzimmer.status.DutyStore(a);
            long[] micros = new long[200];
            for (int i = 0; i < micros.length; i++) {
                heard.set(0);
                duty.set("anna", i % 2 == 0, java.time.Instant.now(), "bench");
                long committed = System.nanoTime();
                long deadline = committed + TimeUnit.SECONDS.toNanos(5);
                while (heard.get() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
                micros[i] = heard.get() == 0 ? -1 : Math.max(0, (heard.get() - committed) / 1000);
            }
            long[] sorted = java.util.Arrays.stream(micros).filter(m -> m >= 0).sorted().toArray();
            System.out.printf("%nchange announcement, commit on one handle -> hook on another: %d of %d heard; p50 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms%n", sorted.length, micros.length, sorted[sorted.length / 2] / 1000.0,
                    sorted[(int) (sorted.length * 0.99) - 1] / 1000.0, sorted[sorted.length - 1] / 1000.0);
        }
    }

    static String newDatabase(String server, String prefix) throws Exception {
        String name = prefix + "_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int q = server.indexOf('?');
        String base = q < 0 ? server : server.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : server.substring(q));
    }

    static Row row(String what, String db, int nodeCount, Path book, Path dir, int seconds, int connections, int clients)
            throws Exception {
        if (Main.commandLine(new Main()).execute("import", book.toString(), "--db", db) != 0) {
            throw new IllegalStateException("import into " + db + " failed");
        }
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) nodes.add(start(db, dir, what.replaceAll("[^A-Za-z0-9]", "") + i));
            calls(nodes, connections, 2); // warm-up
            double[] c = calls(nodes, connections, seconds);
            double[] m = messages(nodes, clients, seconds);
            System.out.printf("%s: %.0f calls/s (%d errors), %.0f messages/s (%d errors)%n", what, c[0], (long) c[1], m[0],
                    (long) m[1]);
            return new Row(what, c[0], (long) c[1], m[0], (long) m[1]);
        } finally {
            for (Node n : nodes) {
                n.process().destroy();
                n.process().waitFor(20, TimeUnit.SECONDS);
                n.process().destroyForcibly();
            }
        }
    }

    static Node start(String db, Path dir, String name) throws Exception {
        int http = freePort();
        int agi = freePort();
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, "db: \"" + db + "\"\nnode.name: " + name + "\nhttp.port: " + http + "\nagi.port: " + agi
                + "\nconsole.admin-password: \"" + PASSWORD + "\"\npin.pepper-file: \"" + dir.resolve("pin-pepper.key") + "\"\n");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-Dvorzimmer.log.level=WARN", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) throw new IllegalStateException(name + " exited: " + Files.readString(dir.resolve(name + ".log")));
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
            }
            Thread.sleep(200);
        }
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("username", "admin").put("password", PASSWORD).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) throw new IllegalStateException("login on " + name + ": " + login.body());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        return new Node(p, http, agi, cookie.substring(0, cookie.indexOf(';')), new JsonObject(login.body()).getString("csrf"));
    }

    /** Routed calls per second over {@code seconds}, and the failed ones. */
    static double[] calls(List<Node> nodes, int connections, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    Node n = nodes.get((id + i) % nodes.size());
                    try {
                        AgiLoad.oneCall(n.agi(), CALLS.get(i % CALLS.size()), id, i);
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {done.get() / elapsed, failed.get()};
    }

    /** Durable messages per second ({@code 201} after the commit) over {@code seconds}, and the failed ones. */
    static double[] messages(List<Node> nodes, int clients, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    Node n = nodes.get((id + i) % nodes.size());
                    String body = new JsonObject().put("client", "mueller").put("caller_number", "+4930555" + (1000 + id))
                            .put("caller_name", "Bench " + id).put("text", "Rückruf erbeten " + i).put("urgent", false)
                            .encode();
                    try {
                        int status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.http()
                                        + "/api/v1/messages")).header("Content-Type", "application/json")
                                .header("Cookie", n.cookie()).header("X-CSRF-Token", n.csrf())
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (status == 201) done.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {done.get() / elapsed, failed.get()};
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
