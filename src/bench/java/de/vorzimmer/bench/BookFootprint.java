package de.vorzimmer.bench;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookWriter;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Set;

/**
 * Prints the heap a routable snapshot of the generated book retains, and the cold time to build it. Run it
 * with the heap limit to check ({@code -Xmx512m}): it fails with an OutOfMemoryError if the book does not fit.
 */
public final class BookFootprint {
    private BookFootprint() {
    }

    public static void main(String[] args) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long t0 = System.nanoTime();
        BenchBook generated = BenchBook.generate();
        long t1 = System.nanoTime();
        BookIndex index = BookIndex.of(generated.book);
        long t2 = System.nanoTime();
        RoutingSnapshot snapshot = new RoutingSnapshot(index, LiveStatus.of(generated.overrides), Set.of());
        long after = usedAfterGc(memory);
        int contacts = generated.book.clients().stream().mapToInt(c -> c.contacts().size()).sum();
        System.out.printf("clients=%d contacts=%d secretaries=%d overrides=%d%n", generated.book.clients().size(),
                contacts, generated.book.secretaries().size(), snapshot.live().size());
        System.out.printf("cold build (records + libphonenumber) ms=%.0f%n", (t1 - t0) / 1e6);
        System.out.printf("cold index (BookIndex.of) ms=%.0f%n", (t2 - t1) / 1e6);
        System.out.printf("retained heap MB=%.1f (max heap MB=%d)%n", (after - before) / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576);
        // the path a server start takes: the stored book is canonical YAML, read back through the full validation
        String yaml = BookWriter.write(generated.book);
        long t3 = System.nanoTime();
        Book loaded;
        try {
            loaded = BookLoader.load(yaml, PinHasher.fast());
        } catch (BookException e) {
            throw new IllegalStateException("generated book does not load: " + e.getMessage(), e);
        }
        long t4 = System.nanoTime();
        BookIndex reloaded = BookIndex.of(loaded);
        long t5 = System.nanoTime();
        System.out.printf("book YAML MB=%.1f; cold load (parse + validate + libphonenumber) ms=%.0f, index ms=%.0f, "
                + "equal to the generated book: %s%n", yaml.length() / 1048576.0, (t4 - t3) / 1e6, (t5 - t4) / 1e6,
                loaded.equals(generated.book));
        if (reloaded.clients().size() != index.clients().size()) throw new IllegalStateException("reload lost clients");
        // keeps the snapshot reachable until after the measurement
        if (snapshot.book().clients().isEmpty()) throw new IllegalStateException("empty book");
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
