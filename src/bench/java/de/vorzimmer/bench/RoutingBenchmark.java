package de.vorzimmer.bench;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Router#decide} on the generated {@link BenchBook}, one thread, over a rotating set of pre-built calls
 * (vip, known, pattern, unknown, blocked, anonymous, forwarded, expected, unknown line), with numbers in E.164
 * and, separately, in national format (which costs a libphonenumber parse per number). The baseline is the
 * irreducible minimum of any router: a hash lookup of the dialed line, then of the caller among the client's
 * exact numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RoutingBenchmark {
    private static final int CALLS = 1 << 12;

    private RoutingSnapshot snapshot;
    private Call[] e164;
    private Call[] national;
    private Instant[] at;
    private Map<String, Map<String, Contact>> baseline;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        BenchBook generated = BenchBook.generate();
        snapshot = generated.snapshot();
        List<BenchBook.TimedCall> a = generated.calls(CALLS, 7, false);
        e164 = BenchBook.TimedCall.calls(a);
        national = BenchBook.TimedCall.calls(generated.calls(CALLS, 7, true));
        at = BenchBook.TimedCall.instants(a);
        baseline = new HashMap<>();
        for (Client c : generated.book.clients()) {
            Map<String, Contact> exact = new HashMap<>();
            for (Contact k : c.contacts()) {
                for (NumberPattern n : k.numbers()) {
                    if (!n.prefix()) exact.put(n.digits(), k);
                }
            }
            for (String line : c.lines()) baseline.put(line, exact);
        }
    }

    @Benchmark
    public Decision decideE164() {
        int i = next++ & (CALLS - 1);
        return Router.decide(snapshot, e164[i], at[i]);
    }

    @Benchmark
    public Decision decideNational() {
        int i = next++ & (CALLS - 1);
        return Router.decide(snapshot, national[i], at[i]);
    }

    @Benchmark
    public Object baselineHashMapLookup() {
        int i = next++ & (CALLS - 1);
        Call call = e164[i];
        Map<String, Contact> contacts = call.forwardedFrom() != null ? baseline.get(call.forwardedFrom()) : null;
        if (contacts == null) contacts = baseline.get(call.to());
        return contacts == null ? null : contacts.get(call.from());
    }
}
