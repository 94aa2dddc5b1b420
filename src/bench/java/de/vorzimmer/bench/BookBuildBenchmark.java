package de.vorzimmer.bench;

import de.vorzimmer.book.Book;
import de.vorzimmer.routing.BookIndex;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a book of 10,000 clients takes to become routable: building the records with every number read
 * through libphonenumber (what a loader does after YAML parsing), and indexing them ({@link BookIndex#of}).
 * Single shots: the first one, cold, is what an operator waits for at start-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class BookBuildBenchmark {
    private Book book;

    @Setup(Level.Trial)
    public void setUp() {
        book = BenchBook.generate().book;
    }

    @Benchmark
    public BookIndex indexBook() {
        return BookIndex.of(book);
    }

    @Benchmark
    public BookIndex buildAndIndexBook() {
        return BookIndex.of(BenchBook.generate().book);
    }
}
