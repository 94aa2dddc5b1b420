package de.vorzimmer.bench;


import de.vorzimmer.asterisk.AgiStatus;
import de.vorzimmer.asterisk.AgiVariables;
import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.calls.AsyncCallLog;
import de.vorzimmer.status.LiveStatus;
import de.vorzimmer.store.Durability;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.store.Database;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FastAGI load generator speaking the protocol as Asterisk 22 does (checked against a real one with
 * {@code bench/capture-agi-env.py}): connect, write {@code agi_network: yes} on its own, then the rest of the
 * {@code agi_*} environment and an empty line (with {@code agi_arg_1} always present, empty when the call was
 * not forwarded, and the redirecting number also in {@code agi_rdnis}); answer every command with one reply line
 * ({@code 200 result=0} for {@code EXEC} of an application that returns 0, {@code 200 result=1} for
 * {@code SET VARIABLE}), never sending the next reply before the next command; when the server closes, send
 * {@code HANGUP} as res_agi does, then close.
 *
 * <p>Rows (same run, interleaved rounds): Asterisk-Java's FastAGI server running a script that does nothing (the
 * baseline: it still sets {@code AJ_AGISTATUS}, one round trip); Vorzimmer's event-loop server handing over a fixed
 * decision without routing; the {@code route} script on the generated 10,000-client book with its call log, as the
 * server runs it; the same without the call log; and the route again while 2,000 and 5,000 idle or half-sent
 * connections are held open against it ({@link Flood}; the bench server holds an idle connection for 60 s instead of
 * the default 5 s, so the flood stays open through its row). After the rounds: the server's threads and heap with and without 5,000 idle
 * connections, and what Asterisk-Java's server does with the same flood.
 *
 * <p>The servers run in a separate JVM (as they would beside Asterisk, which is another process), so the load
 * generator's threads do not share a JIT and GC with them; the server's CPU time per call is read from its
 * {@code /proc/PID/stat}.
 *
 * <p>Usage: {@code AgiLoad [connections=32] [seconds=10] [rounds=3]}: every row once per round, {@code seconds}
 * each; all sockets on 127.0.0.1. System properties: {@code agiload.serverOpts} (extra JVM options for the server,
 * e.g. a JFR recording), {@code agiload.serverLog} (file for the server's stderr), {@code agiload.instances} (the
 * event-loop server's listening event loops, default one per core).
 */
public final class AgiLoad {
    static final String BASELINE = "Asterisk-Java FastAGI, script does nothing";
    static final String FIXED = "Vorzimmer FastAGI, fixed decision (1 MSet, no routing)";
    static final String ROUTE = "Vorzimmer route (decide + 1 MSet + call log)";
    static final String ROUTE_NO_LOG = "route, call log left out";
    static final String FLOOD_2000 = "route, 2,000 idle connections held open";
    static final String FLOOD_5000 = "route, 5,000 idle connections held open";
    /** Which server each row's calls go to (flood rows: the route server). */
    static final List<String> SERVERS = List.of(BASELINE, FIXED, ROUTE, ROUTE_NO_LOG);
    static final Map<String, Integer> FLOODS = Map.of(FLOOD_2000, 2_000, FLOOD_5000, 5_000);
    static final List<String> ROWS = List.of(BASELINE, FIXED, ROUTE, ROUTE_NO_LOG, FLOOD_2000, FLOOD_5000);
    /** The event-loop servers' transport, as the server process reported it ({@link BenchVertx}). */
    private static volatile String serverTransport = "?";

    private AgiLoad() {
    }

    record Result(String name, long calls, long errors, double seconds, long[] latenciesNanos,
                  double serverCpuMicrosPerCall, double serverSysShare, double loadCpuMicrosPerCall, FloodFigures flood) {
        double perSecond() {
            return calls / seconds;
        }

        double percentileMicros(double p) {
            if (latenciesNanos.length == 0) return Double.NaN;
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1000.0;
        }
    }

    /** A flood row's idle connections: held at the end of the row, re-opened during it (the server closed them), refused. */
    record FloodFigures(int held, long reopened, long refused) {
        @java.lang.Override
        public String toString() {
            return String.format("%,d / %,d / %d", held, reopened, refused);
        }
    }

    /** The servers under test in their own process. */
    interface Servers extends AutoCloseable {
        Map<String, Integer> ports();

        /** user and system CPU time of the server process in nanoseconds */
        long[] cpu() throws IOException;

        /** threads, heap used after a full GC (bytes), connections the event-loop servers hold open */
        long[] stats() throws IOException;

        @java.lang.Override
        void close() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve();
            return;
        }
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (connections < 1 || seconds < 1 || rounds < 1) throw new IllegalArgumentException("connections, seconds, rounds >= 1");
        List<BenchBook.TimedCall> calls = BenchBook.generate().calls(4096, 7, false);
        try (Servers servers = childProcess(connections)) {
            Map<String, Integer> ports = servers.ports();
            for (String name : SERVERS) run(name, ports.get(name), calls, connections, 3, servers, null);
            // Rounds: every row once per round, in the same order, so each row has its baseline a few seconds before
            // it; the ratios are the medians of the rounds' own ratios, which a drifting machine (another build
            // starting, a noisy neighbour) disturbs far less than one long row per server.
            Map<String, List<Result>> byRow = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (String name : ROWS) {
                    Integer flood = FLOODS.get(name);
                    int port = ports.get(flood == null ? name : ROUTE);
                    byRow.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(run(name, port, calls, connections, seconds, servers, flood));
                }
            }
            print(byRow, connections, seconds, rounds);
            footprint(servers, ports, calls);
        }
        System.exit(0);
    }

    static void print(Map<String, List<Result>> byRow, int connections, int seconds, int rounds) {
        System.out.printf("%n== FastAGI: %d concurrent connections, %d round(s) of %d s per row, servers in their own JVM"
                        + " (event-loop servers on %s), Java %s, %d cpus%n", connections, rounds, seconds, serverTransport,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("Each row: the median round (calls/s, its latencies, its CPU); \"rounds\" lists every round's calls/s;"
                + " errors: calls that failed (refused, reset, no answer) over all rounds.");
        System.out.printf("| %-48s | %9s | %8s | %8s | %6s | %14s | %8s | %14s | %s | %s |%n", "server", "calls/s", "p50 µs",
                "p99 µs", "errors", "server CPU µs/call", "sys share", "load generator CPU µs/call", "rounds",
                "flood held / re-opened / refused");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        for (Map.Entry<String, List<Result>> e : byRow.entrySet()) {
            Result r = median(e.getValue());
            long errors = e.getValue().stream().mapToLong(Result::errors).sum();
            StringBuilder each = new StringBuilder();
            for (Result x : e.getValue()) each.append(each.length() == 0 ? "" : ", ").append(String.format("%.0f", x.perSecond()));
            System.out.printf("| %-48s | %9.0f | %8.0f | %8.0f | %6d | %14.0f | %8s | %14.0f | %s | %s |%n", e.getKey(),
                    r.perSecond(), r.percentileMicros(0.50), r.percentileMicros(0.99), errors, r.serverCpuMicrosPerCall(),
                    Double.isNaN(r.serverSysShare()) ? "-" : String.format("%.0f %%", 100 * r.serverSysShare()),
                    r.loadCpuMicrosPerCall(), each, r.flood() == null ? "-" : r.flood());
        }
        List<Result> base = byRow.get(BASELINE);
        List<Result> route = byRow.get(ROUTE);
        double[] routeRatios = ratios(route, base);
        double[] noLogRatios = ratios(byRow.get(ROUTE_NO_LOG), base);
        double[] fixedRatios = ratios(byRow.get(FIXED), base);
        double[] flood2000 = ratios(byRow.get(FLOOD_2000), route);
        double[] flood5000 = ratios(byRow.get(FLOOD_5000), route);
        Result r = median(route);
        Result b = median(base);
        long floodRefused = 0;
        long floodErrors = 0;
        for (String f : FLOODS.keySet()) {
            for (Result x : byRow.get(f)) {
                floodErrors += x.errors();
                floodRefused += x.flood().refused();
            }
        }
        System.out.printf("route / baseline per round: %s (median %.2f); call log left out: %s (median %.2f); fixed decision: median %.2f%n",
                Arrays.toString(round2(routeRatios)), medianOf(routeRatios), Arrays.toString(round2(noLogRatios)),
                medianOf(noLogRatios), medianOf(fixedRatios));
        System.out.printf("with 2,000 idle / without, per round: %s (median %.2f); with 5,000: %s (median %.2f); "
                        + "refused: %d flood connections, %d real calls failed%n", Arrays.toString(round2(flood2000)),
                medianOf(flood2000), Arrays.toString(round2(flood5000)), medianOf(flood5000), floodRefused, floodErrors);
        Result f5 = median(byRow.get(FLOOD_5000));
        Result f2 = median(byRow.get(FLOOD_2000));
        System.out.printf("RESULT agi.route_per_s=%.0f agi.baseline_per_s=%.0f agi.ratio=%.2f agi.route_p50_us=%.0f "
                        + "agi.route_p99_us=%.0f agi.baseline_p50_us=%.0f agi.baseline_p99_us=%.0f agi.nolog_per_s=%.0f "
                        + "agi.nolog_ratio=%.2f agi.ratio_min=%.2f agi.ratio_max=%.2f agi.rounds=%d agi.fixed_per_s=%.0f "
                        + "agi.flood2000_per_s=%.0f agi.flood2000_ratio=%.2f agi.flood2000_p50_us=%.0f agi.flood2000_p99_us=%.0f "
                        + "agi.flood5000_per_s=%.0f agi.flood5000_ratio=%.2f agi.flood5000_p50_us=%.0f agi.flood5000_p99_us=%.0f "
                        + "agi.flood_refused=%d agi.flood_call_errors=%d%n",
                r.perSecond(), b.perSecond(), medianOf(routeRatios), r.percentileMicros(0.5), r.percentileMicros(0.99),
                b.percentileMicros(0.5), b.percentileMicros(0.99), median(byRow.get(ROUTE_NO_LOG)).perSecond(),
                medianOf(noLogRatios), Arrays.stream(routeRatios).min().orElse(Double.NaN),
                Arrays.stream(routeRatios).max().orElse(Double.NaN), routeRatios.length, median(byRow.get(FIXED)).perSecond(),
                f2.perSecond(), medianOf(flood2000), f2.percentileMicros(0.5), f2.percentileMicros(0.99),
                f5.perSecond(), medianOf(flood5000), f5.percentileMicros(0.5), f5.percentileMicros(0.99),
                floodRefused, floodErrors);
    }

    /**
     * The server process's threads and heap with and without 5,000 idle connections on the route server; then the
     * same flood against Asterisk-Java's server, with a few real calls while it lasts.
     */
    static void footprint(Servers servers, Map<String, Integer> ports, List<BenchBook.TimedCall> calls) throws Exception {
        long[] quiet = servers.stats();
        long[] flooded;
        int held;
        try (Flood flood = new Flood(ports.get(ROUTE), 5_000)) {
            flood.awaitHeld(20_000);
            held = flood.held();
            flooded = servers.stats();
            // connected is not yet accepted: let the server take what waits in its accept queue (bounded)
            for (int i = 0; i < 20 && flooded[2] < held; i++) {
                Thread.sleep(250);
                flooded = servers.stats();
            }
        }
        int ok = 0;
        int failed = 0;
        int ajHeld;
        try (Flood flood = new Flood(ports.get(BASELINE), 5_000)) {
            flood.awaitHeld(10_000);
            ajHeld = flood.held();
            for (int i = 0; i < 50; i++) {
                try {
                    oneCall(ports.get(BASELINE), calls.get(i).call(), 999, i);
                    ok++;
                } catch (IOException e) {
                    failed++;
                }
            }
        }
        System.out.printf("%n== The server process holding idle FastAGI connections (threads: all of the server JVM's;"
                + " heap: used after a full GC)%n");
        System.out.println("| state | connections held | server threads | heap after GC MB |");
        System.out.println("| --- | ---: | ---: | ---: |");
        System.out.printf("| no idle connections | %d | %d | %.1f |%n", quiet[2], quiet[0], quiet[1] / 1048576.0);
        System.out.printf("| 5,000 idle connections on the route server | %d | %d | %.1f |%n", flooded[2], flooded[0],
                flooded[1] / 1048576.0);
        System.out.printf("Asterisk-Java's server under the same flood: %d of 5,000 connections stayed open; real calls while"
                + " it lasted: %d answered, %d failed%n", ajHeld, ok, failed);
        System.out.printf("RESULT agi.idle_threads=%d agi.idle_heap_mb=%.1f agi.flood_threads=%d agi.flood_heap_mb=%.1f "
                        + "agi.flood_held=%d agi.aj_flood_calls_ok=%d agi.aj_flood_calls_failed=%d%n", quiet[0],
                quiet[1] / 1048576.0, flooded[0], flooded[1] / 1048576.0, held, ok, failed);
    }

    /** The round with the median calls/s (the lower middle one for an even count). */
    static Result median(List<Result> rounds) {
        List<Result> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(Result::perSecond));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Per round: {@code rows[i] / baseline[i]}, the baseline measured in the same round. */
    static double[] ratios(List<Result> rows, List<Result> baseline) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i).perSecond() / baseline.get(i).perSecond();
        return out;
    }

    static double medianOf(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String[] round2(double[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = String.format("%.2f", values[i]);
        return out;
    }

    // ------------------------------------------------------------------ servers

    /** The event-loop servers' scripts: a fixed decision, the route with and without the call log. */
    static Map<String, FastAgiScript> scripts() {
        BenchBook bench = BenchBook.generate();
        Instant at = Instant.parse("2026-11-30T09:30:00Z");
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(bench.book), LiveStatus.of(bench.overrides), Set.of());
        LiveRouting routing = new LiveRouting(snapshot, Clock.fixed(at, ZoneOffset.UTC));
        // the call log as the server writes it: batched into SQLite (WAL, synchronous=FULL) off the call path
        DecisionLog callLog = callLog("agiload-");
        Map<String, FastAgiScript> scripts = new LinkedHashMap<>();
        scripts.put(FIXED, fixedDecision());
        scripts.put(ROUTE, new RouteScript(routing, callLog, new DialStrings("Local/{number}@vorzimmer-reach"), d -> { }));
        scripts.put(ROUTE_NO_LOG, new RouteScript(routing, DecisionLog.NONE, new DialStrings("Local/{number}@vorzimmer-reach"), d -> { }));
        return scripts;
    }

    /** A script that hands over a fixed decision in one MSet, as the route script does, without routing. */
    static FastAgiScript fixedDecision() {
        return fixedDecision("VZ_CLIENT", "c00042", "VZ_DISPLAY", "Client 42: +49309876543",
                "VZ_GREETING", "Praxis 42, guten Tag.", "VZ_TARGETS", "PJSIP/anna&PJSIP/ben", "VZ_ACTION", "screen");
    }

    /**
     * A script that hands over the variables {@code namesAndValues} (name, value, name, value, ...; in this order) and
     * the success status in one MSet, as the route script does.
     */
    static FastAgiScript fixedDecision(String... namesAndValues) {
        Map<String, String> decision = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) decision.put(namesAndValues[i], namesAndValues[i + 1]);
        var command = AgiVariables.msetCommand(AgiStatus.withSuccess(decision));
        return call -> call.send(command);
    }

    /** The call log as the server writes it ({@code AsyncCallLog}), into a fresh SQLite file (WAL, synchronous=FULL). */
    static DecisionLog callLog(String dirPrefix) {
        try {
            Database db = Database.open(Files.createTempDirectory(dirPrefix).resolve("calls.db"), Durability.FULL);
            return new AsyncCallLog(db, new CallLogStore(db));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int poolSize(int connections) {
        return Math.max(16, connections);
    }

    /** The child: starts the servers, prints their ports, then answers "cpu" and "stats" lines until stdin closes. */
    static void serve() throws IOException {
        int pool = Integer.getInteger("agiload.pool", 32);
        int instances = Integer.getInteger("agiload.instances", FastAgiServer.DEFAULT_INSTANCES);
        PrintStream out = System.out;
        PlainAgiServer plain = PlainAgiServer.start(pool);
        Vertx vertx = BenchVertx.create();
        StringBuilder ready = new StringBuilder("READY ").append(plain.port());
        List<FastAgiServer> servers = new ArrayList<>();
        // The server's limits, except that an idle connection is held for a minute instead of 5 s: the flood rows
        // measure calls while thousands of connections are held open; with the default the server would close the
        // flood every 5 s and the flood open it again, a churn of ~1,000 connections a second, another measurement.
        AgiLimits limits = AgiLimits.defaults().withTimeouts(Duration.ofSeconds(60), AgiLimits.COMMAND_TIMEOUT);
        for (Map.Entry<String, FastAgiScript> e : scripts().entrySet()) {
            FastAgiServer s = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", e.getValue()), limits, instances);
            servers.add(s);
            ready.append(' ').append(s.port());
        }
        out.println(ready.append(" transport=").append(BenchVertx.name(vertx)));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("cpu")) {
                long[] cpu = procCpu("self");
                out.println("CPU " + cpu[0] + " " + cpu[1]);
            } else if (line.equals("stats")) {
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                int open = servers.stream().mapToInt(FastAgiServer::openConnections).sum();
                out.println("STATS " + ManagementFactory.getThreadMXBean().getThreadCount() + " " + heap + " " + open);
            }
            out.flush();
        }
        servers.forEach(FastAgiServer::close);
        vertx.close();
        plain.close();
    }

    static Servers childProcess(int connections) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dagiload.pool=" + poolSize(connections));
        String instances = System.getProperty("agiload.instances");
        if (instances != null) cmd.add("-Dagiload.instances=" + instances);
        String opts = System.getProperty("agiload.serverOpts", "").trim();
        if (!opts.isEmpty()) cmd.addAll(Arrays.asList(opts.split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgiLoad.class.getName(), "--serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String log = System.getProperty("agiload.serverLog");
        pb.redirectError(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(Path.of(log).toFile()));
        Process p = pb.start();
        BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream to = p.getOutputStream();
        String ready = from.readLine();
        while (ready != null && !ready.startsWith("READY ")) { // e.g. JFR's start-up line
            System.err.println("server: " + ready);
            ready = from.readLine();
        }
        if (ready == null || !ready.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("FastAGI server process did not start: " + ready);
        }
        String[] portText = ready.substring(6).trim().split(" ");
        Map<String, Integer> ports = new LinkedHashMap<>();
        int i = 0;
        for (String name : SERVERS) ports.put(name, Integer.parseInt(portText[i++]));
        if (i < portText.length && portText[i].startsWith("transport=")) serverTransport = portText[i].substring(10);
        return new Servers() {
            @java.lang.Override
            public Map<String, Integer> ports() {
                return ports;
            }

            private String ask(String what, String answer) throws IOException {
                to.write((what + "\n").getBytes(StandardCharsets.US_ASCII));
                to.flush();
                String line = from.readLine();
                if (line == null || !line.startsWith(answer + " ")) throw new IOException("server process: " + line);
                return line;
            }

            @java.lang.Override
            public long[] cpu() throws IOException {
                String[] f = ask("cpu", "CPU").split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }

            @java.lang.Override
            public long[] stats() throws IOException {
                String[] f = ask("stats", "STATS").split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
            }

            @java.lang.Override
            public void close() throws IOException {
                to.close();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroy();
                }
            }
        };
    }

    /** utime and stime of a process in nanoseconds, from /proc (fields 14 and 15). */
    static long[] procCpu(String pid) throws IOException {
        return ThreadCpu.userAndSystem(Files.readString(Path.of("/proc", pid, "stat")));
    }

    // ------------------------------------------------------------------ load

    /** One row: {@code connections} threads placing calls for {@code seconds}, with {@code flood} idle connections held if set. */
    static Result run(String name, int port, List<BenchBook.TimedCall> calls, int connections, int seconds, Servers servers,
                      Integer flood) throws InterruptedException, IOException {
        Flood idle = null;
        if (flood != null) {
            idle = new Flood(port, flood);
            if (!idle.awaitHeld(30_000)) System.err.printf("%s: only %d of %d idle connections held%n", name, idle.held(), flood);
        }
        try {
            return measure(name, port, calls, connections, seconds, servers, idle);
        } finally {
            if (idle != null) idle.close();
        }
    }

    private static Result measure(String name, int port, List<BenchBook.TimedCall> calls, int connections, int seconds,
                                  Servers servers, Flood idle) throws InterruptedException, IOException {
        long reopened0 = idle == null ? 0 : idle.reopened.get();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[connections];
        long[] cpu0 = servers.cpu();
        long[] self0 = procCpu("self");
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (int t = 0; t < connections; t++) {
            long[] lat = new long[400_000 * seconds / connections + 1000];
            perThread.add(lat);
            int id = t;
            Thread th = new Thread(() -> {
                int n = 0;
                int i = id;
                while (System.nanoTime() < end) {
                    Call c = calls.get(i++ % calls.size()).call();
                    long t0 = System.nanoTime();
                    try {
                        oneCall(port, c, id, n);
                        long d = System.nanoTime() - t0;
                        if (n < lat.length) lat[n++] = d;
                        done.incrementAndGet();
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
                counts[id] = n;
            }, "agi-load-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] cpu1 = servers.cpu();
        long[] self1 = procCpu("self");
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(perThread.get(t), 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        long n = Math.max(1, done.get());
        double serverCpu = (cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]) / 1000.0 / n;
        double sysShare = (double) (cpu1[1] - cpu0[1]) / Math.max(1, cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]);
        double loadCpu = (self1[0] - self0[0] + self1[1] - self0[1]) / 1000.0 / n;
        FloodFigures held = idle == null ? null
                : new FloodFigures(idle.held(), idle.reopened.get() - reopened0, idle.refused.get());
        return new Result(name, done.get(), errors.get(), elapsed, all, serverCpu, sysShare, loadCpu, held);
    }

    /** The AGI environment as res_agi writes it for a call that reached {@code vorzimmer-in}, after its first line. */
    static String environment(int port, Call call, int thread, int seq) {
        String fwd = call.forwardedFrom() == null ? "" : call.forwardedFrom();
        return "agi_network_script: route\n"
                + "agi_request: agi://127.0.0.1:" + port + "/route\n"
                + "agi_channel: PJSIP/trunk-" + String.format("%08x", thread * 1_000_000 + seq) + "\n"
                + "agi_language: de\n"
                + "agi_type: PJSIP\n"
                + "agi_uniqueid: 1795830343." + (thread * 1_000_000 + seq) + "\n"
                + "agi_version: 22.10.1+dfsg+~cs6.17.60671434-1\n"
                + "agi_callerid: " + (call.from().isEmpty() ? "unknown" : call.from()) + "\n"
                + "agi_calleridname: unknown\n"
                + "agi_callingpres: " + (call.restricted() ? "32" : "0") + "\n"
                + "agi_callingani2: 0\n"
                + "agi_callington: 0\n"
                + "agi_callingtns: 0\n"
                + "agi_dnid: " + call.to() + "\n"
                + "agi_rdnis: " + (fwd.isEmpty() ? "unknown" : fwd) + "\n"
                + "agi_context: vorzimmer-in\n"
                + "agi_extension: " + call.to() + "\n"
                + "agi_priority: 3\n"
                + "agi_enhanced: 0.0\n"
                + "agi_accountcode: \n"
                + "agi_threadid: 140299969644224\n"
                + "agi_arg_1: " + fwd + "\n"
                + "\n";
    }

    private static final byte[] NETWORK = "agi_network: yes\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_SET = "200 result=1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_EXEC = "200 result=0\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HANGUP = "HANGUP\n".getBytes(StandardCharsets.US_ASCII);

    /** One call as Asterisk places it: environment, then a reply per command until the server closes. */
    static void oneCall(int port, Call call, int thread, int seq) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5_000);
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(NETWORK);
            out.write(environment(port, call, thread, seq).getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[4096];
            int len = 0;
            while (true) {
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) break;
                len += r;
                int nl;
                while ((nl = indexOf(buf, len, (byte) '\n')) >= 0) {
                    boolean exec = len >= 4 && buf[0] == 'E' && buf[1] == 'X' && buf[2] == 'E' && buf[3] == 'C';
                    if (nl > 0) out.write(exec ? OK_EXEC : OK_SET);
                    System.arraycopy(buf, nl + 1, buf, 0, len - nl - 1);
                    len -= nl + 1;
                }
                if (len == buf.length) throw new IOException("command line longer than " + buf.length + " bytes");
            }
            try {
                out.write(HANGUP);
            } catch (IOException e) {
                // the server closed first, as it should: res_agi's HANGUP then goes nowhere
            }
        }
    }

    private static int indexOf(byte[] buf, int len, byte b) {
        for (int i = 0; i < len; i++) if (buf[i] == b) return i;
        return -1;
    }
}
