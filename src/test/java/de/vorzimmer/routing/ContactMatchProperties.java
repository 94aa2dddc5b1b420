package de.vorzimmer.routing;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.ContactClass;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.book.NumberPattern;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The most specific contact match (exact number beats any pattern, longer pattern beats shorter) as the
 * index computes it, against a brute-force scan of every number of every contact. Numbers are drawn from
 * two digits so that prefixes nest and collide often. Between equally specific matches the book order decides.
 */
class ContactMatchProperties {

    @Property(tries = 2000)
    void indexFindsTheSameContactAsABruteForceScan(@ForAll("contacts") List<Contact> contacts,
                                                   @ForAll("callers") List<String> callers) {
        Client client = new Client("c", "C", null, null, List.of("+49301234567"), null, null, "DE",
                ZoneId.of("Europe/Berlin"), "de", null, List.of(), contacts, List.of());
        BookIndex.ClientEntry entry = BookIndex.of(new Book(Book.FORMAT, Defaults.STANDARD, List.of(),
                List.of(client))).client("c");

        for (String caller : callers) {
            assertThat(entry.contactFor(caller)).as("caller %s in %s", caller, contacts)
                    .isSameAs(bruteForce(contacts, caller));
        }
    }

    static Contact bruteForce(List<Contact> contacts, String number) {
        Contact best = null;
        int bestRank = -1;
        for (Contact c : contacts) {
            for (NumberPattern p : c.numbers()) {
                boolean hit = p.prefix() ? number.startsWith(p.digits()) : number.equals(p.digits());
                int rank = p.prefix() ? p.digits().length() : Integer.MAX_VALUE;
                if (hit && rank > bestRank) {
                    best = c;
                    bestRank = rank;
                }
            }
        }
        return best;
    }

    private static Arbitrary<String> digits(int min, int max) {
        return Arbitraries.strings().withChars('1', '2').ofMinLength(min).ofMaxLength(max).map(d -> "+4930" + d);
    }

    @Provide
    Arbitrary<List<Contact>> contacts() {
        Arbitrary<NumberPattern> exact = digits(5, 6).map(NumberPattern::exact);
        Arbitrary<NumberPattern> prefix = digits(0, 6).map(d -> new NumberPattern(d, true));
        Arbitrary<List<NumberPattern>> numbers = Arbitraries.oneOf(exact, prefix).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<ContactClass> cls = Arbitraries.of(ContactClass.class);
        return Combinators.combine(numbers, cls).as((n, c) -> new Object[] {n, c}).list().ofMinSize(0).ofMaxSize(8)
                .map(list -> {
                    List<Contact> out = new ArrayList<>();
                    for (Object[] o : list) {
                        @SuppressWarnings("unchecked") List<NumberPattern> n = (List<NumberPattern>) o[0];
                        out.add(new Contact("contact " + out.size(), n, (ContactClass) o[1]));
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<List<String>> callers() {
        return digits(5, 7).list().ofMinSize(1).ofMaxSize(20);
    }
}
