package de.vorzimmer.bench;

import de.vorzimmer.book.BookWriter;
import de.vorzimmer.routing.Call;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and memory with a large book, measured on the real executable: writes the generated
 * 10,000-client book as YAML, imports it with {@code vorzimmer import}, starts {@code vorzimmer serve} with
 * {@code -Xmx512m} and times how long it takes until the first call is routed over FastAGI; then reads the
 * server's heap after a full GC with {@code jcmd}. Beside it, the same for the 4-client demo book.
 *
 * <p>Usage: {@code StartupBench path/to/vorzimmer.jar}
 */
public final class StartupBench {
    private StartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/vorzimmer.jar").toAbsolutePath();
        Path dir = Files.createTempDirectory("vz-startup");
        BenchBook bench = BenchBook.generate();
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, BookWriter.write(bench.book));
        Call bigCall = bench.calls(1, 1, false).get(0).call();
        Path demo = dir.resolve("demo.yaml");
        try (var in = StartupBench.class.getResourceAsStream("/demo/book.yaml")) {
            Files.write(demo, in.readAllBytes());
        }
        // This JVM just generated and wrote 20 MB of book; let its JIT and GC settle so they do not compete with the
        // measured child processes for the two CPUs (the import measured 7.3 s beside it, 5.7-5.9 s alone).
        bench = null;
        System.gc();
        Thread.sleep(3_000);
        System.out.printf("%-34s %10s %14s %16s %14s%n", "book", "import s", "start->route ms", "heap after GC MB", "book YAML MB");
        try {
            for (Object[] row : List.<Object[]>of(new Object[] {"demo (4 clients)", demo, Call.of("+49301234567", "+49309876543")},
                    new Object[] {"generated (10,000 clients)", big, bigCall})) {
                measure((String) row[0], jar, dir, (Path) row[1], (Call) row[2]);
            }
        } finally {
            // ~50 MB of books, databases and logs per run; kept only when asked for (STARTUP_KEEP=1)
            if (System.getenv("STARTUP_KEEP") == null) deleteTree(dir);
            else System.out.println("files kept in " + dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void measure(String name, Path jar, Path dir, Path book, Call call) throws Exception {
        Path db = dir.resolve(book.getFileName() + ".db");
        long i0 = System.nanoTime();
        run(java(List.of("-jar", jar.toString(), "import", "--db", db.toString(), book.toString()), "import-" + book.getFileName()));
        double importSeconds = (System.nanoTime() - i0) / 1e9;
        int agiPort;
        try (ServerSocket s = new ServerSocket(0)) {
            agiPort = s.getLocalPort();
        }
        List<String> cmd = java(List.of("-Xmx512m", "-jar", jar.toString(), "serve", "--db", db.toString(),
                "--http-port", "0", "--agi-port", Integer.toString(agiPort)), "serve-" + book.getFileName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(book.getFileName() + ".log").toFile());
        pb.environment().put("VORZIMMER_LOG_LEVEL", "warn");
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no routed call within 120 s");
                if (!p.isAlive()) throw new IllegalStateException("server exited with " + p.exitValue());
                try {
                    AgiLoad.oneCall(agiPort, call, 0, 0);
                    break;
                } catch (IOException e) {
                    Thread.sleep(10);
                }
            }
            double startMs = (System.nanoTime() - t0) / 1e6;
            String heap = heapAfterGc(p.pid());
            System.out.printf("%-34s %10.1f %14.0f %16s %14.1f%n", name, importSeconds, startMs, heap,
                    Files.size(book) / 1048576.0);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    /**
     * {@code java ARGS}, with a JFR recording when {@code -Dstartup.jfr=DIR} is set (one file per step, written
     * when the process ends; {@code jfr print --events jdk.ExecutionSample FILE} shows where the time went).
     */
    private static List<String> java(List<String> args, String step) {
        List<String> cmd = new ArrayList<>();
        cmd.add("java");
        String jfr = System.getProperty("startup.jfr");
        if (jfr != null) cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr, step + ".jfr"));
        cmd.addAll(args);
        return cmd;
    }

    private static String heapAfterGc(long pid) throws Exception {
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        String out = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"));
        // "garbage-first heap   total 262144K, used 81234K"
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        return m.find() ? String.format("%.1f", Long.parseLong(m.group(1)) / 1024.0) : "?";
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

}
