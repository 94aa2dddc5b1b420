package de.vorzimmer.bench;

import de.vorzimmer.routing.Call;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code GET /metrics} costs the calls: FastAGI routed calls/s of {@code vorzimmer serve} with
 * {@code metrics.enabled: true} (and Prometheus scraping it every second) beside the same server with metrics off,
 * in the same run, each in its own JVM on the 1,000-client book of the soak, rounds interleaved (off, on, on, off,
 * ...) so a busier moment of the machine hurts both alike. Prints a Markdown table and a RESULT line with the median
 * of the rounds' on/off ratios.
 *
 * <p>Usage: {@code MetricsOverhead [connections=32] [seconds=10] [rounds=3]}; classpath from {@code soak.classpath}.
 */
public final class MetricsOverhead {
    record Server(String name, Process process, int httpPort, int agiPort) {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("vz-metrics-bench");
        String classpath = System.getProperty("soak.classpath");
        Files.writeString(dir.resolve("book.yaml"), Soak.book());
        System.out.printf("== %s, %d cpus, load %s; %d connections, %d s per row, %d rounds%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), Soak.load(), connections, seconds, rounds);
        Server off = start("metrics off", false, dir, classpath);
        Server on = start("metrics on", true, dir, classpath);
        List<Call> calls = calls();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            // warm-up: both JITs compile the call path before anything counts
            run(off.agiPort(), calls, connections, Math.max(3, seconds / 2));
            run(on.agiPort(), calls, connections, Math.max(3, seconds / 2));
            List<double[]> results = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean offFirst = r % 2 == 0;
                double a = 0;
                double b = 0;
                for (int k = 0; k < 2; k++) {
                    boolean metrics = offFirst == (k == 1);
                    Server s = metrics ? on : off;
                    Thread scraper = metrics ? scraper(http, s.httpPort()) : null;
                    double rate = run(s.agiPort(), calls, connections, seconds);
                    if (scraper != null) scraper.interrupt();
                    if (metrics) b = rate;
                    else a = rate;
                }
                results.add(new double[] {a, b, b / a});
                System.out.printf(Locale.ROOT, "round %d: off %.0f calls/s, on %.0f calls/s, ratio %.3f%n", r + 1, a, b, b / a);
            }
            double[] ratios = results.stream().mapToDouble(x -> x[2]).sorted().toArray();
            double[] offs = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
            double[] ons = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
            double median = ratios[ratios.length / 2];
            System.out.println();
            System.out.println("| what | calls/s (median of rounds) |");
            System.out.println("| --- | ---: |");
            System.out.printf(Locale.ROOT, "| FastAGI routed calls/s, metrics off | %.0f |%n", offs[offs.length / 2]);
            System.out.printf(Locale.ROOT, "| FastAGI routed calls/s, metrics on, scraped every second | %.0f |%n", ons[ons.length / 2]);
            System.out.printf(Locale.ROOT, "RESULT ratio on/off %.3f (rounds %.3f-%.3f), goal >= 0.97: %s%n", median, ratios[0],
                    ratios[ratios.length - 1], median >= 0.97 ? "met" : "not met");
        } finally {
            for (Server s : List.of(off, on)) {
                s.process().destroy();
                s.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static Server start(String name, boolean metrics, Path dir, String classpath) throws Exception {
        Path db = dir.resolve((metrics ? "on" : "off") + ".db");
        Process importer = new ProcessBuilder("java", "-cp", classpath, "de.vorzimmer.cli.Main", "import", "--db", db.toString(),
                dir.resolve("book.yaml").toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (importer.waitFor() != 0) throw new IllegalStateException("import failed");
        int http = Soak.freePort();
        int agi = Soak.freePort();
        Path config = dir.resolve((metrics ? "on" : "off") + ".yaml");
        Files.writeString(config, "http: { host: 127.0.0.1, port: " + http + " }\nagi: { host: 127.0.0.1, port: " + agi
                + " }\ndb: " + db + "\nmetrics: { enabled: " + metrics + " }\n");
        Process p = new ProcessBuilder("java", "-Xmx512m", "-cp", classpath, "de.vorzimmer.cli.Main", "serve", "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve((metrics ? "on" : "off") + ".log").toFile())
                .start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Server(name, p, http, agi);
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + ": not ready within 120 s");
    }

    /** Prometheus's default would be every 15 to 60 s; every second is far more than any operator scrapes. */
    static Thread scraper(HttpClient http, int port) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(1_000);
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    static List<Call> calls() {
        Random r = new Random(11);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int c = r.nextInt(Soak.CLIENTS);
            String from = switch (i % 4) {
                case 0 -> Soak.vip(c);
                case 1 -> "+49900" + (1_000_000 + r.nextInt(8_999_999));
                default -> "+49151" + (10_000_000 + r.nextInt(89_999_999));
            };
            calls.add(new Call(Soak.line(c), from, null, false, null));
        }
        return calls;
    }

    /** Back-to-back calls on {@code connections} threads for {@code seconds}; returns routed calls/s. */
    static double run(int port, List<Call> calls, int connections, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                int n = 0;
                int i = id;
                while (System.nanoTime() < end) {
                    try {
                        AgiLoad.oneCall(port, calls.get(i++ % calls.size()), id, n++);
                        done.incrementAndGet();
                    } catch (IOException e) {
                        // counted as not done
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
