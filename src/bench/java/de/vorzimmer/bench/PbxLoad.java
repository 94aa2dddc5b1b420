package de.vorzimmer.bench;

import de.vorzimmer.asterisk.AgiVariables;

import de.vorzimmer.asterisk.AgiCalls;
import de.vorzimmer.asterisk.AgiStatus;
import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Call set-ups per second on the real Asterisk (the sandbox), through the dialplan up to the decision, for three
 * ways of deciding (contexts in {@code asterisk-config/sandbox/extensions_bench.conf}): our FastAGI {@code route}
 * script, the same dialplan with a fixed decision, and a classic process AGI script (one perl process per call).
 *
 * <p>Each call is an async AMI {@code Originate} of {@code Local/NUMBER@vorzimmer-bench-VARIANT} with at most
 * {@code concurrency} calls in flight; the far side sets the caller up, runs {@code vorzimmer-lib,prepare} as the
 * production context does, gets its decision and hangs up without answering (cause 16 if {@code VZ_ACTION} was
 * set, 21 if not). A call is complete when its {@code OriginateResponse} arrives; its far side's {@code Hangup}
 * cause tells whether it got a decision. Per-call settings travel as channel variables
 * ({@code __VZ_AGI_HOST} shadows the global), so the PBX's globals are never touched.
 *
 * <p>Before the load it checks, on a few calls, that every variable the route script meant to set reads back
 * identically from the channel ({@code GET VARIABLE}), including a value full of the characters {@code MSet}
 * splits on.
 *
 * <p>Usage: {@code PbxLoad AMI_PORT AMI_USER AMI_SECRET [concurrency=16] [seconds=10] [asterisk-pid-file] [rounds=3]}:
 * {@code rounds} times the fixed-dialplan row, the FastAGI fixed-decision row (our event-loop server handing over a
 * fixed decision in one {@code MSet}) and the route row (the ratios are the medians of the rounds' ratios), then the
 * process AGI row once. {@code -Dpbxload.instances=N} sets the FastAGI servers' event loops.
 */
public final class PbxLoad {
    private PbxLoad() {
    }

    record Row(String variant, String what, long completed, long decided, long errors, double seconds, long[] latencies,
               double asteriskCpuMicrosPerCall, double benchCpuMicrosPerCall, double generatorCpuMicrosPerCall,
               double machineBusy, Map<String, Double> threadMicrosPerCall, Map<String, Double> threadKernelMicrosPerCall) {
        double perSecond() {
            return completed / seconds;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) return Double.NaN;
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    /** One AMI connection: a reader thread hands OriginateResponse and Hangup events to the running measurement. */
    static final class Ami implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final Thread reader;
        volatile Measurement current;
        /** the thread that sends the originates (the one that opened the connection runs the rows) */
        private final Thread sender = Thread.currentThread();
        final Map<String, Map<String, String>> responses = new ConcurrentHashMap<>();

        Ami(int port, String user, String secret) throws IOException, InterruptedException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String banner = in.readLine();
            if (banner == null || !banner.startsWith("Asterisk Call Manager")) throw new IOException("not AMI: " + banner);
            reader = new Thread(() -> read(in), "ami-reader");
            reader.setDaemon(true);
            reader.start();
            send("Action: Login\r\nActionID: login\r\nUsername: " + user + "\r\nSecret: " + secret + "\r\nEvents: call\r\n");
            Map<String, String> r = await("login", 10_000);
            if (!"Success".equals(r.get("Response"))) throw new IOException("AMI login failed: " + r);
        }

        /** CPU time of the load generator's own threads: the AMI reader and the thread sending the originates. */
        long generatorCpuNanos() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            return Math.max(0, mx.getThreadCpuTime(reader.getId())) + Math.max(0, mx.getThreadCpuTime(sender.getId()));
        }

        synchronized void send(String message) throws IOException {
            out.write((message + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Map<String, String> await(String actionId, long millis) throws InterruptedException, IOException {
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end) {
                Map<String, String> r = responses.remove(actionId);
                if (r != null) return r;
                Thread.sleep(5);
            }
            throw new IOException("no AMI response to " + actionId);
        }

        private void read(BufferedReader in) {
            try {
                Map<String, String> msg = new LinkedHashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!msg.isEmpty()) dispatch(msg);
                        msg = new LinkedHashMap<>();
                        continue;
                    }
                    int c = line.indexOf(": ");
                    if (c > 0) msg.put(line.substring(0, c), line.substring(c + 2));
                }
            } catch (IOException e) {
                if (!socket.isClosed()) System.err.println("AMI reader: " + e);
            }
        }

        private void dispatch(Map<String, String> msg) {
            String event = msg.get("Event");
            Measurement m = current;
            if (event == null) {
                String id = msg.get("ActionID");
                if (id == null) return;
                if (id.startsWith("vzb-") && !"Success".equals(msg.get("Response")) && m != null) m.failed(id);
                else if (!id.startsWith("vzb-")) responses.put(id, msg);
            } else if (event.equals("OriginateResponse")) {
                String id = msg.get("ActionID");
                if (m != null && id != null && id.startsWith("vzb-")) m.completed(id);
            } else if (event.equals("Hangup")) {
                String ch = msg.getOrDefault("Channel", "");
                if (m != null && ch.contains("@vorzimmer-bench-" + m.variant + "-") && ch.endsWith(";2")) {
                    m.hungUp("16".equals(msg.get("Cause")));
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                send("Action: Logoff\r\n");
            } finally {
                socket.close();
            }
        }
    }

    /** One variant's run: bounded in-flight originates, completions counted from events. */
    static final class Measurement {
        final String variant;
        final Semaphore permits;
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong decided = new AtomicLong();
        final AtomicLong undecided = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile long lastCompletion;

        Measurement(String variant, int concurrency) {
            this.variant = variant;
            this.permits = new Semaphore(concurrency);
        }

        void completed(String id) {
            Long t0 = started.remove(id);
            if (t0 == null) return;
            long now = System.nanoTime();
            latencies.add(now - t0);
            completed.incrementAndGet();
            lastCompletion = now;
            permits.release();
        }

        void failed(String id) {
            if (started.remove(id) != null) {
                errors.incrementAndGet();
                permits.release();
            }
        }

        void hungUp(boolean withDecision) {
            (withDecision ? decided : undecided).incrementAndGet();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PbxLoad AMI_PORT AMI_USER AMI_SECRET [concurrency=16] [seconds=10] [asterisk-pid-file] [rounds=3]");
            System.exit(2);
        }
        int amiPort = Integer.parseInt(args[0]);
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        Path pidFile = args.length > 5 ? Path.of(args[5]) : null;
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 3;
        if (concurrency < 1 || seconds < 1 || rounds < 1) throw new IllegalArgumentException("concurrency, seconds, rounds >= 1");
        String asteriskPid = pidFile != null && Files.exists(pidFile) ? Files.readString(pidFile).trim() : null;

        BenchBook bench = BenchBook.generate();
        Instant at = Instant.parse("2026-11-30T09:30:00Z");
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(bench.book), LiveStatus.of(bench.overrides), Set.of());
        LiveRouting routing = new LiveRouting(snapshot, Clock.fixed(at, ZoneOffset.UTC));
        // the call log as the server writes it (batched into SQLite, synchronous=FULL)
        RouteScript route = new RouteScript(routing, AgiLoad.callLog("pbxload-"), new DialStrings("Local/{number}@vorzimmer-reach"), d -> { });
        List<Call> calls = new ArrayList<>();
        for (BenchBook.TimedCall c : bench.calls(4096, 11, false)) {
            if (c.call().to().matches("\\+?[0-9]+")) calls.add(c.call());
        }
        List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong verified = new AtomicLong();
        // the route script, then every variable it meant to set read back from the channel, plus a probe value full of
        // the characters MSet splits on
        FastAgiScript verify = call -> route.run(call).compose(v -> {
            Call c = AgiCalls.toCall(call.environment(), call.arguments());
            Decision d = routing.decide(c, routing.now());
            Map<String, String> expected = new LinkedHashMap<>(route.variables(d, routing.snapshot().book().book().defaults()));
            expected.put(AgiStatus.VARIABLE, AgiStatus.SUCCESS); // folded into the route script's MSet
            Map<String, String> nasty = Map.of("VZ_BENCH_CHECK", "a, b (c [d] \"e\" \\ f = g ${EXTEN} | ü) ]");
            expected.putAll(nasty);
            Future<?> step = call.send(new ExecCommand("MSet", AgiVariables.msetArgument(nasty)));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                step = step.compose(x -> call.send(new GetVariableCommand(e.getKey())).map(r -> {
                    String got = r.resultCode() == 1 ? r.extra() : null;
                    if (!e.getValue().equals(got)) {
                        mismatches.add(e.getKey() + ": expected '" + e.getValue() + "', channel has '" + got + "'");
                    }
                    return null;
                }));
            }
            return step.onSuccess(x -> verified.incrementAndGet());
        });
        // FastAGI itself, without routing: a fixed decision handed over in one MSet, as the route script does, with
        // the variables the route sets for a screened call (so that Asterisk's own work on the MSet is the same)
        FastAgiScript fixedScript = fixedDecisionAsRouted();
        int instances = Integer.getInteger("pbxload.instances", FastAgiServer.DEFAULT_INSTANCES);
        Vertx vertx = BenchVertx.create();
        System.out.printf("== Asterisk call set-ups: %d in flight at most, %d s per row, %d round(s) of fixed dialplan,"
                        + " FastAGI fixed decision and route (sockets on %s), %s%n", concurrency, seconds, rounds,
                BenchVertx.name(vertx), asteriskPid == null ? "Asterisk pid unknown" : "Asterisk pid " + asteriskPid);
        try (FastAgiServer agi = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", route), AgiLimits.defaults(), instances);
             FastAgiServer fixedAgi = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", fixedScript),
                     AgiLimits.defaults(), instances);
             FastAgiServer check = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", verify), AgiLimits.defaults(), 1);
             Ami ami = new Ami(amiPort, args[1], args[2])) {
            // 1. the decision arrives intact in the channel
            Row v = measure(ami, "route", "verify", calls, 4, 0, 24, check.port(), asteriskPid);
            System.out.printf("verify: %d calls through vorzimmer-bench-route read back, %d mismatches, %d undecided%n",
                    verified.get(), mismatches.size(), v.completed - v.decided);
            mismatches.stream().limit(10).forEach(m -> System.out.println("  MISMATCH " + m));
            // 2. warm-up: the FastAGI servers' code compiled as in a server that has routed for a while (at a few
            // hundred set-ups per second the JIT would still be compiling it during the rows), then each variant
            warmUpServer(agi.port(), bench.calls(4096, 11, false), WARM_UP_CALLS);
            warmUpServer(fixedAgi.port(), bench.calls(4096, 11, false), WARM_UP_CALLS / 3);
            // The route variant warms up longer: in earlier runs the first route row was always the slowest of its
            // rounds (the JIT compiler still busy with the path of real Asterisk calls, whose environment arrives
            // in several segments, unlike the local warm-up calls'), which is not what a PBX up for minutes sees.
            for (String variant : List.of("fixed", "route", "process")) {
                measure(ami, variant, "warm-up", calls, concurrency, variant.equals("route") ? 6 : 2, 0, agi.port(),
                        asteriskPid);
            }
            measure(ami, "route", "warm-up", calls, concurrency, 2, 0, fixedAgi.port(), asteriskPid);
            // Rounds of the three rows that make the ratios, each route row right after its own baselines: the
            // ratios are the medians of the rounds' ratios, which drift on a shared machine disturbs far less.
            List<Row> fixedRows = new ArrayList<>();
            List<Row> fastAgiFixedRows = new ArrayList<>();
            List<Row> routeRows = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                fixedRows.add(measure(ami, "fixed", "same dialplan, fixed decision (Set)", calls, concurrency, seconds, 0,
                        agi.port(), asteriskPid));
                // the two FastAGI rows in alternating order, so that a machine speeding up or slowing down within a
                // round (or an Asterisk that has just run more calls) favours neither
                boolean routeFirst = r % 2 == 1;
                java.util.concurrent.Callable<Row> routeRow = () -> measure(ami, "route", "Vorzimmer FastAGI route", calls,
                        concurrency, seconds, 0, agi.port(), asteriskPid);
                if (routeFirst) routeRows.add(routeRow.call());
                fastAgiFixedRows.add(measure(ami, "route", "FastAGI, fixed decision (1 MSet, no routing)", calls,
                        concurrency, seconds, 0, fixedAgi.port(), asteriskPid));
                if (!routeFirst) routeRows.add(routeRow.call());
            }
            Row process = measure(ami, "process", "process AGI (perl, one per call)", calls, concurrency, seconds, 0,
                    agi.port(), asteriskPid);
            System.out.println("bench JVM CPU: the whole JVM per call; load generator: its AMI reader and originating"
                    + " thread; the rest is the FastAGI server (FastAGI rows) with the JVM's JIT and GC.");
            System.out.printf("| %-44s | %5s | %10s | %8s | %8s | %9s | %6s | %18s | %18s | %14s | %9s |%n",
                    "decision made by", "round", "set-ups/s", "p50 ms", "p99 ms", "decided", "errors",
                    "Asterisk CPU µs/call", "bench JVM CPU µs/call", "of it generator", "CPUs busy");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int r = 0; r < rounds; r++) {
                printRow(fixedRows.get(r), Integer.toString(r + 1));
                printRow(fastAgiFixedRows.get(r), Integer.toString(r + 1));
                printRow(routeRows.get(r), Integer.toString(r + 1));
            }
            printRow(process, "-");
            double[] jvm = printThreads(fastAgiFixedRows, routeRows);
            double[] ratios = new double[rounds];
            double[] agiRatios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = routeRows.get(r).perSecond() / fixedRows.get(r).perSecond();
                agiRatios[r] = routeRows.get(r).perSecond() / fastAgiFixedRows.get(r).perSecond();
            }
            double ratio = AgiLoad.medianOf(ratios);
            double agiRatio = AgiLoad.medianOf(agiRatios);
            double routed = median(routeRows);
            double fixed = median(fixedRows);
            double fastAgiFixed = median(fastAgiFixedRows);
            System.out.printf("route / fixed dialplan per round: %s (median %.2f)%n", list(ratios), ratio);
            System.out.printf("route / FastAGI fixed decision per round: %s (median %.2f)%n", list(agiRatios), agiRatio);
            System.out.printf("RESULT pbx.route_per_s=%.0f pbx.fixed_per_s=%.0f pbx.process_per_s=%.0f pbx.ratio_fixed=%.2f "
                    + "pbx.ratio_fixed_min=%.2f pbx.ratio_fixed_max=%.2f pbx.rounds=%d "
                    + "pbx.times_process=%.1f pbx.verify_mismatches=%d pbx.fastagi_fixed_per_s=%.0f pbx.ratio_fastagi_fixed=%.2f "
                    + "pbx.ratio_fastagi_fixed_min=%.2f pbx.ratio_fastagi_fixed_max=%.2f pbx.fastagi_fixed_ratio_fixed=%.2f "
                    + "pbx.jvm_fixed_us=%.0f pbx.jvm_route_us=%.0f%n",
                    routed, fixed, process.perSecond(), ratio, java.util.Arrays.stream(ratios).min().orElse(Double.NaN),
                    java.util.Arrays.stream(ratios).max().orElse(Double.NaN), rounds, routed / process.perSecond(),
                    mismatches.size(), fastAgiFixed, agiRatio, java.util.Arrays.stream(agiRatios).min().orElse(Double.NaN),
                    java.util.Arrays.stream(agiRatios).max().orElse(Double.NaN), fastAgiFixed / fixed, jvm[0], jvm[1]);
        } finally {
            vertx.close();
        }
        System.exit(0);
    }

    /**
     * A fixed decision with the variables the route script sets for a screened call of a client with a line, a
     * greeting and a language (7 and the status, against 5 and the status in {@link AgiLoad#fixedDecision}): the
     * baseline for what the PBX spends on the protocol, beside which the route's row shows what routing costs.
     */
    static FastAgiScript fixedDecisionAsRouted() {
        return AgiLoad.fixedDecision("VZ_CLIENT", "c00042", "VZ_LINE", "+49301234567", "VZ_DISPLAY", "Client 42: +49309876543",
                "VZ_GREETING", "Praxis 42, guten Tag.", "VZ_LANGUAGE", "de", "VZ_TARGETS", "PJSIP/anna&PJSIP/ben",
                "VZ_ACTION", "screen");
    }

    private static String list(double[] values) {
        StringBuilder each = new StringBuilder();
        for (double x : values) each.append(each.length() == 0 ? "" : ", ").append(String.format("%.2f", x));
        return each.toString();
    }

    /** The median set-ups/s of {@code rows} (the lower middle one for an even count). */
    static double median(List<Row> rows) {
        double[] v = rows.stream().mapToDouble(Row::perSecond).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    static void printRow(Row r, String round) {
        System.out.printf("| %-44s | %5s | %10.0f | %8.1f | %8.1f | %9s | %6d | %18.0f | %18.0f | %14.0f | %7.0f %% |%n",
                r.what, round, r.perSecond(), r.percentileMillis(0.5), r.percentileMillis(0.99),
                r.decided + "/" + r.completed, r.errors, r.asteriskCpuMicrosPerCall, r.benchCpuMicrosPerCall,
                r.generatorCpuMicrosPerCall, 100 * r.machineBusy);
    }

    /**
     * Where the bench JVM's CPU per set-up goes in the two FastAGI rows (all rounds together), by thread group: what
     * the route costs beyond handing over a fixed decision, and in which thread.
     */
    static double[] printThreads(List<Row> fixed, List<Row> route) {
        System.out.print("bench JVM: ");
        return ThreadCpu.printTable("set-up", "FastAGI fixed",
                ThreadCpu.weighted(fixed, Row::threadMicrosPerCall, r -> r.completed),
                ThreadCpu.weighted(fixed, Row::threadKernelMicrosPerCall, r -> r.completed),
                "route", ThreadCpu.weighted(route, Row::threadMicrosPerCall, r -> r.completed),
                ThreadCpu.weighted(route, Row::threadKernelMicrosPerCall, r -> r.completed));
    }

    /** Runs for {@code seconds} (or exactly {@code count} calls when count > 0), then waits for what is in flight. */
    static Row measure(Ami ami, String variant, String what, List<Call> calls, int concurrency, int seconds, int count,
                       int agiPort, String asteriskPid) throws Exception {
        Measurement m = new Measurement(variant, concurrency);
        ami.current = m;
        long[] cpu0 = asteriskPid == null ? null : AgiLoad.procCpu(asteriskPid);
        long[] self0 = AgiLoad.procCpu("self");
        long generator0 = ami.generatorCpuNanos();
        long[] machine0 = machineTicks();
        ThreadCpu.Snapshot threads0 = ThreadCpu.snapshot();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        int i = 0;
        while (count > 0 ? i < count : System.nanoTime() < end) {
            if (!m.permits.tryAcquire(15, TimeUnit.SECONDS)) throw new IOException(variant + ": no completion for 15 s");
            Call c = calls.get(i % calls.size());
            String id = "vzb-" + variant + "-" + i++;
            StringBuilder sb = new StringBuilder(400)
                    .append("Action: Originate\r\nActionID: ").append(id)
                    .append("\r\nChannel: Local/").append(c.to()).append("@vorzimmer-bench-").append(variant)
                    .append("\r\nContext: vorzimmer-bench-sink\r\nExten: s\r\nPriority: 1\r\nAsync: true\r\nTimeout: 10000")
                    .append("\r\nVariable: VZ_BENCH_FROM=").append(c.from().replaceAll("[^0-9A-Za-z+]", ""))
                    .append("\r\nVariable: __VZ_AGI_HOST=127.0.0.1:").append(agiPort);
            if (c.forwardedFrom() != null) sb.append("\r\nVariable: VZ_BENCH_FWD=").append(c.forwardedFrom());
            if (c.restricted()) sb.append("\r\nVariable: VZ_BENCH_PRES=prohib");
            sb.append("\r\n");
            m.started.put(id, System.nanoTime());
            ami.send(sb.toString());
        }
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!m.started.isEmpty() && System.nanoTime() < drain) Thread.sleep(5);
        // the far sides' Hangup events may trail the OriginateResponse, more so on a busy PBX
        long hangups = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (m.decided.get() + m.undecided.get() < m.completed.get() && System.nanoTime() < hangups) Thread.sleep(5);
        ami.current = null;
        long last = m.lastCompletion == 0 ? System.nanoTime() : m.lastCompletion;
        double elapsed = (last - start) / 1e9;
        long[] lat = m.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] self1 = AgiLoad.procCpu("self");
        long generator1 = ami.generatorCpuNanos();
        long[] machine1 = machineTicks();
        ThreadCpu.Snapshot threads1 = ThreadCpu.snapshot();
        Map<String, Double> threads = ThreadCpu.perCall(threads0.all(), threads1.all(), m.completed.get());
        Map<String, Double> kernel = ThreadCpu.perCall(threads0.kernel(), threads1.kernel(), m.completed.get());
        double selfCpu = (self1[0] - self0[0] + self1[1] - self0[1]) / 1000.0 / Math.max(1, m.completed.get());
        double generatorCpu = (generator1 - generator0) / 1000.0 / Math.max(1, m.completed.get());
        double busy = 1 - (double) (machine1[1] - machine0[1]) / Math.max(1, machine1[0] - machine0[0]);
        double cpu = Double.NaN;
        if (cpu0 != null) {
            long[] cpu1 = AgiLoad.procCpu(asteriskPid);
            cpu = (cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]) / 1000.0 / Math.max(1, m.completed.get());
        }
        // errors: refused originates, calls still in flight, and calls whose far side got no decision or whose
        // Hangup event never arrived
        long errors = m.errors.get() + m.started.size() + Math.max(m.undecided.get(), m.completed.get() - m.decided.get());
        return new Row(variant, what, m.completed.get(), m.decided.get(), errors, elapsed, lat, cpu, selfCpu, generatorCpu,
                busy, threads, kernel);
    }

    /** Local FastAGI calls sent to the route server before the rows (a few seconds). */
    static final int WARM_UP_CALLS = 30_000;

    /** {@code count} calls to the FastAGI server on {@code port}, spoken as Asterisk does (AgiLoad), 8 at a time. */
    static void warmUpServer(int port, List<BenchBook.TimedCall> calls, int count) throws InterruptedException {
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        AtomicLong failed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    try {
                        AgiLoad.oneCall(port, calls.get(i % calls.size()).call(), id, i);
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }, "warm-up-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        System.out.printf("warm-up: %d local FastAGI calls to the route server in %.1f s, %d failed%n", count,
                (System.nanoTime() - t0) / 1e9, failed.get());
    }

    /** All CPU ticks of the machine and its idle ones (idle + iowait), from the first line of /proc/stat. */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }
}
