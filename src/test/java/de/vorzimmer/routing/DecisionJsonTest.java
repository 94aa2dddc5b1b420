package de.vorzimmer.routing;

import static de.vorzimmer.routing.TestBooks.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.book.Rule;
import de.vorzimmer.status.LiveStatus;
import de.vorzimmer.book.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionJsonTest {
    /** The decision of the design brief, section "The decision (JSON)", with its line breaks taken out. */
    private static final String DESIGN_EXAMPLE = """
            {"client":"mueller","line":"+49301234567",
             "caller":{"number":"+49309876543","class":"vip","contact":"Labor Schmidt"},
             "status":"available","action":"put-through","target":["+491701111111"],
             "urgent":false,"then":["screen","message"],
             "display":"Müller: Labor Schmidt","greeting":"Zahnarztpraxis Dr. Müller, guten Tag.",
             "why":["caller +49309876543 is contact 'Labor Schmidt' (vip)",
                    "available: window mon-fri 08:30-12:00","default rule 4: vip and available -> put-through"]}
            """.replaceAll("\\n\\s*", "");

    /** A Tuesday, 09:00 in Berlin. */
    private static final Instant TUESDAY_9 = LocalDateTime.of(2025, 3, 11, 9, 0).atZone(BERLIN).toInstant();

    /**
     * The example decision is what default rule 4 gives. The sample book's own {@code mueller} has a second rule,
     * {@code {contact: Labor Schmidt} -> screen, urgent}, which would fire first (see the routing table), so the
     * example is reproduced with the sample client's first rule only; that rule does not hold for this call.
     */
    @Test
    void designExampleDecisionIsReproducedExactly() {
        List<Rule> firstRuleOnly = List.of(TestBooks.mueller().rules().get(0));
        Book book = new Book(Book.FORMAT, Defaults.STANDARD, List.of(TestBooks.ANNA),
                List.of(TestBooks.muellerWith(firstRuleOnly)));
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(book), LiveStatus.empty(), Set.of());

        Decision d = Router.decide(snapshot, Call.of("030 1234567", "030 9876543"), TUESDAY_9);

        assertThat(DecisionJson.write(d)).isEqualTo(DESIGN_EXAMPLE);
    }

    @Test
    void unknownLineWritesNullsForClientStatusAndGreeting() {
        Book book = new Book(Book.FORMAT, Defaults.STANDARD, List.of(TestBooks.ANNA), List.of(TestBooks.mueller()));
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(book), LiveStatus.empty(), Set.of());

        String json = DecisionJson.write(Router.decide(snapshot, Call.of("+49309990000", "anonymous"), TUESDAY_9));

        assertThat(json).startsWith("{\"client\":null,\"line\":\"+49309990000\","
                + "\"caller\":{\"number\":\"\",\"class\":\"anonymous\",\"contact\":null},\"status\":null,"
                + "\"action\":\"screen\",\"target\":[\"PJSIP/anna\"],\"urgent\":false,\"then\":[\"message\"],"
                + "\"display\":\"?: anonym\",\"greeting\":null,\"why\":[");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
    # case              | raw (Java escapes)      | written (literally)
      quote             | say "hi"                | "say \\"hi\\""
      backslash         | C:\\\\dir               | "C:\\\\dir"
      newline           | a\\nb                   | "a\\nb"
      carriage return   | a\\rb                   | "a\\rb"
      tab               | a\\tb                   | "a\\tb"
      other control     | a\\u0001b\\u001fc       | "a\\u0001b\\u001fc"
      non-ASCII as is   | Müller – ☎              | "Müller – ☎"
      slash not escaped | a/b                     | "a/b"
    """)
    void stringsAreEscapedPerRfc8259(String name, String raw, String written) {
        String value = unescapeJava(raw);
        StringBuilder sb = new StringBuilder();
        DecisionJson.string(sb, value);
        assertThat(sb.toString()).isEqualTo(written);
    }

    @Property(tries = 300)
    void anyTextSurvivesAJsonParser(@ForAll("text") String display, @ForAll("text") String why) {
        Decision d = new Decision("c", "+4930", new CallerInfo("", CallerClass.ANONYMOUS, display), Status.DND,
                Action.SCREEN, List.of(display), true, Action.SCREEN.fallbacks(), display, why, List.of(why, display),
                List.of(display));

        JsonObject parsed = new JsonObject(DecisionJson.write(d));

        assertThat(parsed.getString("display")).isEqualTo(display);
        assertThat(parsed.getString("greeting")).isEqualTo(why);
        assertThat(parsed.getJsonObject("caller").getString("contact")).isEqualTo(display);
        assertThat(parsed.getJsonArray("why")).isEqualTo(new JsonArray().add(why).add(display));
        assertThat(parsed.getBoolean("urgent")).isTrue();
        assertThat(parsed.fieldNames()).containsExactly("client", "line", "caller", "status", "action", "target",
                "urgent", "then", "display", "greeting", "why");
    }

    @Provide
    Arbitrary<String> text() {
        // every control character, JSON's specials, Latin-1, general punctuation and emoji (surrogate pairs)
        Arbitrary<String> chars = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf),
                Arbitraries.of("\"", "\\", "/", "\u2028", "\u2029", "\u007f", "😀", "ü"),
                Arbitraries.chars().range(' ', '\u02ff').map(String::valueOf));
        return chars.list().ofMaxSize(30).map(l -> String.join("", l));
    }

    /** Resolves the few escapes the table uses: {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \\uXXXX}. */
    private static String unescapeJava(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }
}
