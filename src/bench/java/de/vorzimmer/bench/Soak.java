package de.vorzimmer.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The soak: {@code vorzimmer serve} in its own JVM on 127.0.0.1 under the mixed load, for a bounded time,
 * with one row per minute of what would hurt after months: heap after a full GC, RSS, threads, open descriptors, WAL
 * size, latency; and at the end the slope of each per hour, and the checks (every acknowledged message stored once,
 * every urgent one sent once, WARN/ERROR lines in the server's log).
 *
 * <p>Load (rates per second, scaled by {@code --scale}): FastAGI route calls (the 1,000-client book), signed Twilio
 * voice webhooks, typed messages through the API (every tenth urgent: an SMS through the outbox to a local stand-in
 * for Twilio's REST API), a status change every 10 s, 5 console feeds reading the live events.
 *
 * <p>Usage: {@code Soak DURATION [--scale F] [--dir DIR]}, DURATION as {@code 30m}, {@code 600s}; classpath and the
 * server's JVM options from {@code soak.classpath} / {@code soak.serverOpts}.
 */
public final class Soak {
    static final int CLIENTS = 1_000;
    static final double AGI_PER_S = 200;
    static final double WEBHOOKS_PER_S = 20;
    static final double MESSAGES_PER_S = 5;
    static final Duration STATUS_EVERY = Duration.ofSeconds(10);
    static final int FEEDS = 5;
    static final String AUTH_TOKEN = "soak-auth-token-0123456789abcdef";
    static final String ACCOUNT = "AC0000000000000000000000000000501a";
    static final String PUBLIC = "https://vz.example.com";
    static final String ADMIN_PASSWORD = "soak-admin-password";

    private final PrintStream out = System.out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(7);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong messageCount = new AtomicLong();
    // per-minute windows
    private final ConcurrentLinkedQueue<Long> agiNanos = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> webhookNanos = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> messageNanos = new ConcurrentLinkedQueue<>();
    private final AtomicLong agiFailed = new AtomicLong();
    private final AtomicLong webhookFailed = new AtomicLong();
    private final AtomicLong messageFailed = new AtomicLong();
    private final AtomicLong feedEvents = new AtomicLong();
    private final AtomicLong statusChanges = new AtomicLong();
    // totals for the checks
    private final ConcurrentHashMap<Long, String> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> urgentTexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> smsBodies = new ConcurrentHashMap<>();
    /** Other SMS the server sent (answers to the confirmations, digests), call-outs it placed, confirmations sent. */
    private final AtomicLong otherSms = new AtomicLong();
    private final AtomicLong callOuts = new AtomicLong();
    private final AtomicLong confirmationsSent = new AtomicLong();
    private final AtomicLong confirmationsFailed = new AtomicLong();
    private volatile int httpPortForReplies;
    private final ScheduledExecutorService replies = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong agiTotal = new AtomicLong();
    private final AtomicLong webhookTotal = new AtomicLong();

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Soak DURATION [--scale F] [--dir DIR]");
            System.exit(2);
        }
        Duration duration = parse(args[0]);
        double scale = 1;
        Path dir = Files.createTempDirectory("vz-soak");
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (args[i].equals("--scale")) scale = Double.parseDouble(args[i + 1]);
            else if (args[i].equals("--dir")) dir = Path.of(args[i + 1]);
            else throw new IllegalArgumentException("unknown option " + args[i]);
        }
        Files.createDirectories(dir);
        System.exit(new Soak().run(duration, scale, dir));
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        if (t.endsWith("h")) return Duration.ofHours(n);
        if (t.endsWith("m")) return Duration.ofMinutes(n);
        return Duration.ofSeconds(n);
    }

    /** One minute's figures. */
    record Row(int minute, double heapMb, double rssMb, int threads, int fds, double walMb, int agiCalls, double agiP50,
               double agiP99, int webhooks, double webhookP99, int messages, double messageP99, long feedEvents,
               long failed) {
    }

    int run(Duration duration, double scale, Path dir) throws Exception {
        String classpath = System.getProperty("soak.classpath");
        Path db = dir.resolve("soak.db");
        Path book = dir.resolve("book.yaml");
        Path config = dir.resolve("soak.yaml");
        Path log = dir.resolve("server.log");
        Files.writeString(book, book());
        HttpServer twilio = fakeTwilio();
        int httpPort = freePort();
        int agiPort = freePort();
        Files.writeString(config, "http: { host: 127.0.0.1, port: " + httpPort + " }\nagi: { host: 127.0.0.1, port: " + agiPort
                + " }\ndb: " + db + "\nmetrics: { enabled: true }\nconsole: { admin-password: " + ADMIN_PASSWORD + " }\n"
                + "twilio: { account-sid: " + ACCOUNT + ", auth-token: " + AUTH_TOKEN + ", public-url: " + PUBLIC
                + ", from: \"+4930111111\", api-url: \"http://127.0.0.1:" + twilio.getAddress().getPort() + "\" }\n");
        out.printf("== soak %s at %.2f x the issue's rates (%.0f FastAGI calls/s, %.0f signed webhooks/s, %.1f typed "
                        + "messages/s, a status change every %d s, %d console feeds), %d clients; %s, %d cpus, load %s%n",
                duration, scale, AGI_PER_S * scale, WEBHOOKS_PER_S * scale, MESSAGES_PER_S * scale,
                STATUS_EVERY.toSeconds(), FEEDS, CLIENTS, Instant.now(), Runtime.getRuntime().availableProcessors(), load());
        out.println("== files in " + dir);
        Process importer = new ProcessBuilder("java", "-cp", classpath, "de.vorzimmer.cli.Main", "import", "--db", db.toString(),
                book.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("import.log").toFile()).start();
        if (importer.waitFor() != 0) throw new IllegalStateException("import failed: " + Files.readString(dir.resolve("import.log")));

        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(Arrays.asList(System.getProperty("soak.serverOpts", "-Xmx512m").trim().split("\\s+")));
        command.addAll(List.of("-cp", classpath, "de.vorzimmer.cli.Main", "serve", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("VORZIMMER_LOG_LEVEL", "INFO");
        Process server = pb.start();
        httpPortForReplies = httpPort;
        try {
            waitForReady(httpPort, server);
            String token = apiToken(httpPort);
            return drive(duration, scale, server, httpPort, agiPort, token, db, log);
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
            twilio.stop(0);
            replies.shutdownNow();
        }
    }

    int drive(Duration duration, double scale, Process server, int httpPort, int agiPort, String token, Path db, Path log)
            throws Exception {
        long pid = server.pid();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        ExecutorService agiPool = Executors.newFixedThreadPool(48);
        ExecutorService httpPool = Executors.newFixedThreadPool(24);
        List<Thread> feeds = new ArrayList<>();
        for (int i = 0; i < FEEDS; i++) feeds.add(feed(httpPort, token, i));
        // every 10 ms: the calls, webhooks and messages due by then (fractions carried over)
        double[] due = new double[3];
        ticks.scheduleAtFixedRate(() -> {
            due[0] += AGI_PER_S * scale / 100;
            due[1] += WEBHOOKS_PER_S * scale / 100;
            due[2] += MESSAGES_PER_S * scale / 100;
            for (; due[0] >= 1; due[0]--) agiPool.execute(() -> agiCall(agiPort));
            for (; due[1] >= 1; due[1]--) httpPool.execute(() -> webhook(httpPort));
            for (; due[2] >= 1; due[2]--) httpPool.execute(() -> message(httpPort, token));
        }, 10, 10, TimeUnit.MILLISECONDS);
        ticks.scheduleAtFixedRate(() -> statusChange(httpPort, token), STATUS_EVERY.toMillis(), STATUS_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);

        List<Row> rows = new ArrayList<>();
        out.println();
        out.println("| min | heap after GC MB | RSS MB | threads | fds | WAL MB | FastAGI calls | p50 ms | p99 ms | webhooks | p99 ms | messages | p99 ms | feed events | failed |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        long minutes = Math.max(1, duration.toMinutes());
        long start = System.nanoTime();
        for (int m = 1; m <= minutes; m++) {
            long wake = start + TimeUnit.MINUTES.toNanos(m);
            while (System.nanoTime() < wake) {
                if (!server.isAlive()) throw new IllegalStateException("the server stopped; see " + log);
                Thread.sleep(Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime()))));
            }
            Row row = sample(m, pid, httpPort, token, db);
            rows.add(row);
            out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %d | %d | %.1f | %d | %.2f | %.2f | %d | %.1f | %d | %.1f | %d | %d |%n",
                    row.minute(), row.heapMb(), row.rssMb(), row.threads(), row.fds(), row.walMb(), row.agiCalls(),
                    row.agiP50(), row.agiP99(), row.webhooks(), row.webhookP99(), row.messages(), row.messageP99(),
                    row.feedEvents(), row.failed());
            out.flush();
        }
        ticks.shutdownNow();
        agiPool.shutdown();
        httpPool.shutdown();
        agiPool.awaitTermination(30, TimeUnit.SECONDS);
        httpPool.awaitTermination(30, TimeUnit.SECONDS);
        feeds.forEach(Thread::interrupt);

        out.println();
        out.println("Slopes (least squares over the minutes, per hour; the first minute left out as warm-up):");
        List<Row> steady = rows.size() > 2 ? rows.subList(1, rows.size()) : rows;
        out.printf(Locale.ROOT, "heap after GC %+.2f MB/h, RSS %+.1f MB/h, threads %+.1f /h, fds %+.1f /h, WAL %+.2f MB/h, "
                        + "FastAGI p99 %+.2f ms/h, webhook p99 %+.1f ms/h, message p99 %+.1f ms/h%n",
                slope(steady, Row::heapMb), slope(steady, Row::rssMb), slope(steady, r -> r.threads()),
                slope(steady, r -> r.fds()), slope(steady, Row::walMb), slope(steady, Row::agiP99),
                slope(steady, Row::webhookP99), slope(steady, Row::messageP99));
        return checks(httpPort, token, db, log);
    }

    /** The checks at the end: messages stored once, urgent SMS sent once, the server's WARN and ERROR lines. */
    int checks(int httpPort, String token, Path db, Path log) throws Exception {
        // the outbox may still be sending the last urgent SMS: give it a little time
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && smsBodies.size() < urgentTexts.size()) Thread.sleep(200);
        long stored;
        Map<String, Integer> storedTexts = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT text FROM messages WHERE kind = 'typed'")) {
            while (rs.next()) storedTexts.merge(rs.getString(1), 1, Integer::sum);
        }
        stored = storedTexts.values().stream().mapToLong(Integer::longValue).sum();
        long missing = acknowledged.values().stream().filter(t -> !storedTexts.containsKey(t)).count();
        long twice = storedTexts.values().stream().filter(n -> n > 1).count();
        long smsMissing = urgentTexts.keySet().stream().filter(t -> smsBodies.keySet().stream().noneMatch(b -> b.contains(t))).count();
        long smsTwice = smsBodies.values().stream().filter(n -> n.get() > 1).count();
        long warnings;
        List<String> firstWarnings;
        try (Stream<String> lines = Files.lines(log)) {
            firstWarnings = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(5).toList();
        }
        try (Stream<String> lines = Files.lines(log)) {
            warnings = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
        }
        out.println();
        out.printf("Totals: %d FastAGI calls routed (%d failed), %d webhooks answered (%d failed), %d messages acknowledged "
                        + "(%d failed), %d status changes, %d console feed events%n", agiTotal.get(), agiFailed.get(),
                webhookTotal.get(), webhookFailed.get(), acknowledged.size(), messageFailed.get(), statusChanges.get(),
                feedEvents.get());
        out.printf("Checks: typed messages stored %d for %d acknowledged (missing %d, stored twice %d); urgent SMS sent %d for "
                        + "%d urgent messages (missing %d, sent twice %d); WARN/ERROR lines in the server log: %d%n",
                stored, acknowledged.size(), missing, twice, smsBodies.size(), urgentTexts.size(), smsMissing, smsTwice, warnings);
        firstWarnings.forEach(l -> out.println("  " + l));
        long unconfirmed;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages WHERE kind = 'typed' AND urgent = TRUE AND state NOT IN ('read', 'done')")) {
            unconfirmed = rs.next() ? rs.getLong(1) : -1;
        }
        out.printf("Confirmations: %d urgent SMS confirmed by a signed SMS reply (%d failed), %d urgent messages not read "
                        + "at the end (the last seconds' replies may still be due), %d other SMS (answers), %d call-outs placed%n",
                confirmationsSent.get(), confirmationsFailed.get(), unconfirmed, otherSms.get(), callOuts.get());
        boolean ok = missing == 0 && twice == 0 && smsMissing == 0 && smsTwice == 0 && warnings == 0
                && confirmationsFailed.get() == 0 && callOuts.get() == 0;
        out.println("RESULT " + (ok ? "ok" : "problems"));
        return ok ? 0 : 1;
    }

    static double slope(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        int n = rows.size();
        if (n < 2) return 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Row r : rows) {
            double x = r.minute() / 60.0;
            double y = f.applyAsDouble(r);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    Row sample(int minute, long pid, int httpPort, String token, Path db) throws Exception {
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        for (String l : metrics.split("\n")) {
            if (l.startsWith("jvm_memory_used_bytes{area=\"heap\"")) heap += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
        }
        Map<String, String> status = new HashMap<>();
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = l.indexOf(':');
            if (colon > 0) status.put(l.substring(0, colon), l.substring(colon + 1).trim());
        }
        double rss = Long.parseLong(status.getOrDefault("VmRSS", "0 kB").split("\\s+")[0]) / 1024.0;
        int threads = Integer.parseInt(status.getOrDefault("Threads", "0"));
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) s.count();
        }
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        double walMb = Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0;
        long[] agi = drain(agiNanos);
        long[] hooks = drain(webhookNanos);
        long[] msgs = drain(messageNanos);
        long failed = agiFailed.get() + webhookFailed.get() + messageFailed.get();
        return new Row(minute, heap / 1048576.0, rss, threads, fds, walMb, agi.length, pct(agi, 50), pct(agi, 99),
                hooks.length, pct(hooks, 99), msgs.length, pct(msgs, 99), feedEvents.get(), failed);
    }

    static long[] drain(ConcurrentLinkedQueue<Long> q) {
        List<Long> all = new ArrayList<>();
        for (Long v; (v = q.poll()) != null; ) all.add(v);
        long[] a = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    // ---- the load

    void agiCall(int port) {
        int c = random.nextInt(CLIENTS);
        int kind = (int) (sequence.incrementAndGet() % 4);
        String caller = kind == 0 ? vip(c) : kind == 1 ? "anonymous" : "+49151" + (10_000_000 + random.nextInt(89_999_999));
        String env = "agi_network: yes\nagi_network_script: route\nagi_request: agi://127.0.0.1/route\n"
                + "agi_channel: PJSIP/trunk-0000" + c + "\nagi_uniqueid: soak." + sequence.get() + "\nagi_callerid: " + caller
                + "\nagi_calleridname: unknown\nagi_callingpres: " + (kind == 1 ? "32" : "0") + "\nagi_context: vorzimmer-in\n"
                + "agi_extension: " + line(c) + "\nagi_priority: 3\nagi_arg_1: \n\n";
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(env.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            boolean answered = false;
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            out.write("200 result=0\n".getBytes(StandardCharsets.US_ASCII));
                            answered = true;
                        }
                    }
                    out.flush();
                }
            } catch (SocketException e) {
                // the server closed first
            }
            if (!answered) throw new IOException("no command");
            agiNanos.add(System.nanoTime() - t0);
            agiTotal.incrementAndGet();
        } catch (IOException e) {
            agiFailed.incrementAndGet();
        }
    }

    void webhook(int port) {
        int c = random.nextInt(CLIENTS);
        String sid = String.format("CA%032x", sequence.incrementAndGet() ^ 0x5a5a0000L);
        Map<String, String> form = new TreeMap<>();
        form.put("AccountSid", ACCOUNT);
        form.put("CallSid", sid);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        form.put("From", "+49151" + (10_000_000 + random.nextInt(89_999_999)));
        form.put("To", line(c));
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/twilio/voice"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", sign(PUBLIC + "/twilio/voice", form))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
            webhookNanos.add(System.nanoTime() - t0);
            webhookTotal.incrementAndGet();
        } catch (IOException | InterruptedException e) {
            webhookFailed.incrementAndGet();
        }
    }

    void message(int port, String token) {
        long n = messageCount.incrementAndGet();
        int c = random.nextInt(CLIENTS);
        boolean urgent = n % 10 == 0;
        String text = "soak message " + n + (urgent ? " dringend" : "");
        String json = "{\"client\":\"c" + c + "\",\"caller_number\":\"+49151" + (10_000_000 + (n % 89_999_999))
                + "\",\"caller_name\":\"Soak " + n + "\",\"text\":\"" + text + "\",\"urgent\":" + urgent + "}";
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IOException("HTTP " + r.statusCode() + " " + r.body());
            messageNanos.add(System.nanoTime() - t0);
            acknowledged.put(n, text);
            if (urgent) urgentTexts.put(text, new AtomicInteger());
        } catch (IOException | InterruptedException e) {
            messageFailed.incrementAndGet();
        }
    }

    void statusChange(int port, String token) {
        long n = statusChanges.incrementAndGet();
        String status = n % 3 == 0 ? "schedule" : n % 3 == 1 ? "dnd" : "unavailable";
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/clients/c" + (n % CLIENTS) + "/status"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            messageFailed.incrementAndGet();
        }
    }

    Thread feed(int port, String token, int i) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/api/v1/events")).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofLines());
                    try (Stream<String> lines = r.body()) {
                        lines.forEach(l -> {
                            if (l.startsWith("event: ")) feedEvents.incrementAndGet();
                        });
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // reconnect, as a browser's EventSource does
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "feed-" + i);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- set-up

    static String line(int client) {
        return "+4930" + (2_000_000 + client);
    }

    static String vip(int client) {
        return "+49171" + (3_000_000 + client);
    }

    static String book() {
        StringBuilder b = new StringBuilder("version: 1\ndefaults: { region: DE, timezone: Europe/Berlin, language: de }\n"
                + "secretaries:\n");
        for (int s = 1; s <= 5; s++) b.append("  - { id: s").append(s).append(", name: Secretary ").append(s)
                .append(", endpoint: PJSIP/s").append(s).append(", languages: [de] }\n");
        b.append("clients:\n");
        for (int c = 0; c < CLIENTS; c++) {
            b.append("  - id: c").append(c).append("\n    name: Client ").append(c).append("\n    short: C").append(c)
                    .append("\n    lines: [\"").append(line(c)).append("\"]\n    reach: \"+49170").append(4_000_000 + c)
                    .append("\"\n    hours: [{ days: mon-fri, from: \"08:00\", to: \"18:00\" }]\n    contacts:\n")
                    .append("      - { name: VIP ").append(c).append(", numbers: [\"").append(vip(c)).append("\"], class: vip }\n")
                    .append("      - { name: Werbung, numbers: [\"+49900*\"], class: blocked }\n");
        }
        return b.toString();
    }

    void waitForReady(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("the server did not start (exit " + server.exitValue() + ")");
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within 120 s");
    }

    /** Logs in as the admin and creates an API token for the load. */
    String apiToken(int port) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) throw new IllegalStateException("login: " + login.statusCode() + " " + login.body());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        cookie = cookie.substring(0, cookie.indexOf(';'));
        String csrf = field(login.body(), "csrf");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/tokens"))
                .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"soak\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() / 100 != 2) throw new IllegalStateException("token: " + token.statusCode() + " " + token.body());
        return field(token.body(), "token");
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) throw new IllegalStateException("no " + name + " in " + json);
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("OK (\\d+)");

    /**
     * The client reads the urgent SMS and confirms it as clients do, with a signed SMS reply {@code OK <reference>} from
     * the number it reached, a few seconds later: the escalation chain then ends before its first call-out.
     */
    void confirmLater(String from, String urgentSms) {
        java.util.regex.Matcher m = REFERENCE.matcher(urgentSms);
        if (from == null || !m.find()) {
            confirmationsFailed.incrementAndGet();
            return;
        }
        String reply = "OK " + m.group(1);
        replies.schedule(() -> {
            Map<String, String> form = new TreeMap<>();
            form.put("AccountSid", ACCOUNT);
            form.put("MessageSid", String.format("SM%032x", sequence.incrementAndGet() ^ 0x3c3c0000L));
            form.put("From", from);
            form.put("To", "+4930111111");
            form.put("Body", reply);
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPortForReplies
                                + "/twilio/sms")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Twilio-Signature", sign(PUBLIC + "/twilio/sms", form))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
                confirmationsSent.incrementAndGet();
            } catch (IOException | InterruptedException e) {
                confirmationsFailed.incrementAndGet();
            }
        }, 2, TimeUnit.SECONDS);
    }

    /**
     * A stand-in for Twilio's REST API: every SMS and call accepted (201); the urgent SMS counted by text and confirmed
     * by a reply, call-outs counted.
     */
    HttpServer fakeTwilio() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        AtomicLong sids = new AtomicLong();
        server.createContext("/", x -> {
            try (x) {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> form = new HashMap<>();
                for (String kv : body.split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
                String path = x.getRequestURI().getPath();
                String text = form.getOrDefault("Body", "");
                if (path.endsWith("/Calls.json")) {
                    callOuts.incrementAndGet();
                } else if (text.contains("soak message")) {
                    smsBodies.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
                    confirmLater(form.get("To"), text);
                } else {
                    otherSms.incrementAndGet();
                }
                String sid = String.format(path.endsWith("/Calls.json") ? "CA%032x" : "SM%032x", sids.incrementAndGet());
                byte[] b = ("{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT + "\",\"status\":\"queued\","
                        + "\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}")
                        .getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(201, b.length);
                x.getResponseBody().write(b);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Twilio's signature: HMAC-SHA1 over the URL and the sorted form fields, Base64. */
    static String sign(String url, Map<String, String> sortedForm) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(AUTH_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            StringBuilder data = new StringBuilder(url);
            sortedForm.forEach((k, v) -> data.append(k).append(v));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
