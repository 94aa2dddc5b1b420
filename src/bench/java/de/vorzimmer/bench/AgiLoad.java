package de.vorzimmer.bench;

import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.FastAgiService;
import de.vorzimmer.asterisk.RouteScript;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.asteriskjava.fastagi.AgiScript;

/**
 * FastAGI load generator speaking the protocol as Asterisk does: connect, send the {@code agi_*} environment
 * block and an empty line, answer every command with {@code 200 result=1}, until the server hangs up.
 * It measures routed calls per second and latency (connect to close) for our {@code route} script on the
 * generated 10,000-client book, beside the same Asterisk-Java FastAGI server running a script that does
 * nothing, in the same run and the same JVM.
 *
 * <p>Usage: {@code AgiLoad [connections=32] [seconds=10]}; all sockets on 127.0.0.1.
 */
public final class AgiLoad {
    private AgiLoad() {
    }

    record Result(String name, long calls, long errors, double seconds, long[] latenciesNanos) {
        double perSecond() {
            return calls / seconds;
        }

        double percentileMicros(double p) {
            if (latenciesNanos.length == 0) return Double.NaN;
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        BenchBook bench = BenchBook.generate();
        Instant at = Instant.parse("2026-11-30T09:30:00Z");
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(bench.book), LiveStatus.of(bench.overrides), Set.of());
        LiveRouting routing = new LiveRouting(snapshot, Clock.fixed(at, ZoneOffset.UTC));
        List<BenchBook.TimedCall> calls = bench.calls(4096, 7, false);

        AgiScript route = new RouteScript(routing, DecisionLog.NONE, new DialStrings("Local/{number}@vorzimmer-reach"));
        AgiScript nothing = (request, channel) -> { };
        int pool = Math.max(16, connections);
        try (FastAgiService ours = FastAgiService.start("127.0.0.1", 0, Map.of("route", route), pool);
             FastAgiService baseline = FastAgiService.start("127.0.0.1", 0, Map.of("route", nothing), pool)) {
            // warm both up, then measure alternately so neither profits from a quieter machine
            run("warm-up baseline", baseline.port(), calls, connections, 3);
            run("warm-up route", ours.port(), calls, connections, 3);
            Result base = run("Asterisk-Java FastAGI, script does nothing", baseline.port(), calls, connections, seconds);
            Result mine = run("Vorzimmer route script (decide + 8 SET VARIABLE)", ours.port(), calls, connections, seconds);
            System.out.printf("%n== FastAGI: %d concurrent connections, %d s each, %s, %d cpus%n", connections, seconds,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            System.out.printf("%-52s %12s %10s %10s %8s%n", "server", "calls/s", "p50 µs", "p99 µs", "errors");
            for (Result r : List.of(base, mine)) {
                System.out.printf("%-52s %12.0f %10.0f %10.0f %8d%n", r.name(), r.perSecond(), r.percentileMicros(0.50),
                        r.percentileMicros(0.99), r.errors());
            }
            System.out.printf("ratio route / do-nothing baseline: %.2f%n", mine.perSecond() / base.perSecond());
        }
        System.exit(0);
    }

    static Result run(String name, int port, List<BenchBook.TimedCall> calls, int connections, int seconds)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[connections];
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            long[] lat = new long[2_000_000 / connections + 1000];
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
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(perThread.get(t), 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        return new Result(name, done.get(), errors.get(), elapsed, all);
    }

    /** One call as Asterisk places it: environment, then a reply per command until the server closes. */
    static void oneCall(int port, Call call, int thread, int seq) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(5_000);
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            OutputStream out = s.getOutputStream();
            String env = "agi_network: yes\n"
                    + "agi_network_script: route\n"
                    + "agi_request: agi://127.0.0.1/route\n"
                    + "agi_channel: PJSIP/trunk-" + thread + "-" + seq + "\n"
                    + "agi_language: de\n"
                    + "agi_type: PJSIP\n"
                    + "agi_uniqueid: 1795830343." + thread + seq + "\n"
                    + "agi_version: 22.0.0\n"
                    + "agi_callerid: " + (call.from().isEmpty() ? "unknown" : call.from()) + "\n"
                    + "agi_calleridname: unknown\n"
                    + "agi_callingpres: " + (call.restricted() ? "32" : "0") + "\n"
                    + "agi_callingani2: 0\n"
                    + "agi_callington: 0\n"
                    + "agi_callingtns: 0\n"
                    + "agi_dnid: " + call.to() + "\n"
                    + "agi_rdnis: unknown\n"
                    + "agi_context: vorzimmer-in\n"
                    + "agi_extension: " + call.to() + "\n"
                    + "agi_priority: 3\n"
                    + "agi_enhanced: 0.0\n"
                    + "agi_accountcode: \n"
                    + "agi_threadid: 140000000000000\n"
                    + (call.forwardedFrom() == null ? "" : "agi_arg_1: " + call.forwardedFrom() + "\n")
                    + "\n";
            out.write(env.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                out.write("200 result=1\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
    }
}
