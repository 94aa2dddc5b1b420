package de.vorzimmer.bench;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.messages.MessageWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Durable message writes per second with {@code synchronous=FULL}: each writer thread stores a message and counts
 * it only when the store has acknowledged it (after its commit). Every 5th message is urgent and queues its SMS in
 * the same transaction. Two modes, same run, fresh database each:
 * <ul>
 *   <li><b>baseline</b>: {@link MessageStore#add} on the calling thread, one transaction (one fsync) per message;</li>
 *   <li><b>group</b>: {@link MessageWriter}, which commits what the threads have queued meanwhile in one transaction.</li>
 * </ul>
 * Usage: {@code MessageWriteBenchmark DIR [seconds=5] [threads=1,8,32]} (DIR on the disk to measure, not tmpfs).
 */
public final class MessageWriteBenchmark {
    private MessageWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-messages");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] threads = Arrays.stream((args.length > 2 ? args[2] : "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        Files.createDirectories(dir);
        System.out.printf("%-9s %7s %12s %14s %12s%n", "mode", "threads", "messages", "messages/s", "p99 ms");
        for (int t : threads) {
            for (String mode : List.of("baseline", "group")) {
                Path file = dir.resolve("bench-" + mode + "-" + t + ".db");
                for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(file + suffix));
                run(mode, file, t, 1, false); // warm-up (JIT), result dropped
                for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(file + suffix));
                run(mode, file, t, seconds, true);
            }
        }
    }

    private static void run(String mode, Path file, int threads, int seconds, boolean print) throws Exception {
        try (Database db = Database.open(file, Durability.FULL)) {
            MessageStore store = new MessageStore(db);
            MessageWriter writer = mode.equals("group") ? new MessageWriter(db, store) : null;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong seq = new AtomicLong();
            List<long[]> latencies = new ArrayList<>();
            List<Thread> ts = new ArrayList<>();
            long[] counts = new long[threads];
            for (int i = 0; i < threads; i++) {
                int me = i;
                long[] lat = new long[200_000];
                latencies.add(lat);
                Thread th = new Thread(() -> {
                    while (!stop.get()) {
                        long n = seq.incrementAndGet();
                        boolean urgent = n % 5 == 0;
                        Message m = Message.received(Instant.now(), "c" + (n % 50), "+49301234567", "+4930" + n, "Caller " + n,
                                MessageKind.TYPED, "Bitte zurückrufen wegen Termin " + n, null, urgent, null);
                        LongFunction<List<NewNotification>> sms = id -> urgent
                                ? List.of(new NewNotification(NewNotification.urgentKey(id), NotificationKind.URGENT, "c",
                                        "+491701111111", "DRINGEND " + id, m.createdAt(), m.createdAt().plus(Duration.ofHours(1))))
                                : List.of();
                        long t0 = System.nanoTime();
                        if (writer != null) writer.add(m, sms);
                        else store.add(m, sms);
                        long c = counts[me]++;
                        if (c < lat.length) lat[(int) c] = System.nanoTime() - t0;
                    }
                }, "bench-" + i);
                ts.add(th);
            }
            long start = System.nanoTime();
            ts.forEach(Thread::start);
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread th : ts) th.join();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (writer != null) writer.close();
            long total = Arrays.stream(counts).sum();
            if (!print) return;
            long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
            int k = 0;
            for (int i = 0; i < threads; i++) {
                int n = (int) Math.min(counts[i], latencies.get(i).length);
                System.arraycopy(latencies.get(i), 0, all, k, n);
                k += n;
            }
            long[] used = Arrays.copyOf(all, k);
            Arrays.sort(used);
            double p99 = used.length == 0 ? 0 : used[(int) Math.min(used.length - 1, Math.floor(used.length * 0.99))] / 1e6;
            System.out.printf("%-9s %7d %12d %14.0f %12.1f%n", mode, threads, total, total / elapsed, p99);
        }
    }
}
