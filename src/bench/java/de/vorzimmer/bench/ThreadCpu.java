package de.vorzimmer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads, grouped by name ({@code vert.x-eventloop-thread-1} counts as
 * {@code vert.x-eventloop-thread}), read from {@code /proc/self/task}: unlike {@code ThreadMXBean} it also sees the
 * JVM's own threads (JIT compilers, GC workers). A thread that ends between two snapshots loses what it spent.
 */
final class ThreadCpu {
    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private ThreadCpu() {
    }

    /** User and system CPU nanoseconds from a {@code /proc/.../stat} line. */
    static long[] userAndSystem(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) * CLOCK_TICK_NANOS, Long.parseLong(f[12]) * CLOCK_TICK_NANOS};
    }

    /** User and system CPU nanoseconds of the calling thread. */
    static long[] currentThread() {
        try {
            return userAndSystem(Files.readString(Path.of("/proc/thread-self/stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reading of every thread: CPU nanoseconds per thread group, user and system together and system alone. */
    record Snapshot(Map<String, Long> all, Map<String, Long> kernel) {
    }

    /** CPU nanoseconds per thread group, now (one pass over {@code /proc/self/task}). */
    static Snapshot snapshot() {
        Map<String, Long> all = new HashMap<>();
        Map<String, Long> kernel = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException ended) {
                    continue;
                }
                String name = group(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                long[] cpu = userAndSystem(stat);
                all.merge(name, cpu[0] + cpu[1], Long::sum);
                kernel.merge(name, cpu[1], Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Snapshot(all, kernel);
    }

    /** The name without its trailing number: {@code GC Thread#3} → {@code GC Thread}, {@code warm-up-7} → {@code warm-up}. */
    static String group(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        while (end > 0 && "-#_ ".indexOf(name.charAt(end - 1)) >= 0) end--;
        return end == 0 ? name : name.substring(0, end);
    }

    /** What each group spent between {@code before} and {@code after}, in µs per {@code calls}. */
    static Map<String, Double> perCall(Map<String, Long> before, Map<String, Long> after, long calls) {
        Map<String, Double> out = new HashMap<>();
        after.forEach((name, nanos) -> {
            long spent = nanos - before.getOrDefault(name, 0L);
            if (spent > 0) out.put(name, spent / 1000.0 / Math.max(1, calls));
        });
        return out;
    }

    /** The groups' CPU over {@code rows}, per call, weighted by each row's calls. */
    static <R> Map<String, Double> weighted(List<R> rows, Function<R, Map<String, Double>> of, ToLongFunction<R> calls) {
        Map<String, Double> sum = new HashMap<>();
        long all = 0;
        for (R row : rows) {
            long n = calls.applyAsLong(row);
            all += n;
            of.apply(row).forEach((name, us) -> sum.merge(name, us * n, Double::sum));
        }
        long total = Math.max(1, all);
        sum.replaceAll((name, us) -> us / total);
        return sum;
    }

    /**
     * A Markdown table of two measurements' CPU per call by thread group, the groups that differ most first, groups
     * under 1 µs in both left out, and a last row for all of them. Names are as Linux keeps them, cut at 15
     * characters ({@code vert.x-eventloo} are the event loops). Returns the two totals.
     */
    static double[] printTable(String unit, String aName, Map<String, Double> a, Map<String, Double> aKernel,
                           String bName, Map<String, Double> b, Map<String, Double> bKernel) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        List<String> order = new ArrayList<>(names);
        order.sort(Comparator.comparingDouble((String n) -> -Math.abs(b.getOrDefault(n, 0.0) - a.getOrDefault(n, 0.0)))
                .thenComparing(n -> n));
        System.out.printf("CPU by thread, µs per %s (all rounds):%n", unit);
        System.out.printf("| %-18s | %14s | %8s | %10s | %16s | %14s |%n", "thread", aName, bName, "difference",
                "of " + aName + ": kernel", "of " + bName + ": kernel");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        double[] sum = new double[4];
        for (String n : order) {
            double[] v = {a.getOrDefault(n, 0.0), b.getOrDefault(n, 0.0), aKernel.getOrDefault(n, 0.0), bKernel.getOrDefault(n, 0.0)};
            for (int i = 0; i < 4; i++) sum[i] += v[i];
            if (Math.max(v[0], v[1]) >= 1) {
                System.out.printf("| %-18s | %14.0f | %8.0f | %+10.0f | %16.0f | %14.0f |%n", n, v[0], v[1], v[1] - v[0], v[2], v[3]);
            }
        }
        System.out.printf("| %-18s | %14.0f | %8.0f | %+10.0f | %16.0f | %14.0f |%n", "all", sum[0], sum[1], sum[1] - sum[0],
                sum[2], sum[3]);
        return new double[] {sum[0], sum[1]};
    }
}
