package de.vorzimmer.bench;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link Router#decide} on the generated {@link BenchBook}, one thread, over a rotating set of pre-built calls
 * (vip, known, pattern, unknown, blocked, anonymous, forwarded, expected, unknown line), with numbers in E.164
 * and, separately, in national format (which costs a libphonenumber parse per number). The baseline is the
 * irreducible minimum of any router: a hash lookup of the dialed line, then of the caller among the client's
 * exact numbers.
 */
public class RoutingBenchmark extends PerCallBenchmark {
    private static final int CALLS = 1 << 12;

    private RoutingSnapshot snapshot;
    private CallRing e164;
    private CallRing national;
    private Map<String, Map<String, Contact>> baseline;

    @Setup(Level.Trial)
    public void setUp() {
        BenchBook generated = BenchBook.generate();
        snapshot = generated.snapshot();
        // the same calls at the same instants (same seed), once written in E.164 and once in national format
        e164 = new CallRing(generated.calls(CALLS, 7, false));
        national = new CallRing(generated.calls(CALLS, 7, true));
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
        return e164.decide(snapshot);
    }

    @Benchmark
    public Decision decideNational() {
        return national.decide(snapshot);
    }

    @Benchmark
    public Object baselineHashMapLookup() {
        Call call = e164.call();
        Map<String, Contact> contacts = call.forwardedFrom() != null ? baseline.get(call.forwardedFrom()) : null;
        if (contacts == null) contacts = baseline.get(call.to());
        return contacts == null ? null : contacts.get(call.from());
    }
}
