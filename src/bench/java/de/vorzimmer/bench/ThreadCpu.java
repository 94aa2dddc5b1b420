package de.vorzimmer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
}
