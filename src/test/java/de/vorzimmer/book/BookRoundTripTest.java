package de.vorzimmer.book;

import static de.vorzimmer.book.Books.load;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.Router;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BookRoundTripTest {
    private static final Book DEMO = load(Books.demoText());
    private static final Book DEMO_AGAIN = load(BookWriter.write(DEMO));

    @Test
    void demoBookSurvivesExportAndImport() {
        assertThat(DEMO_AGAIN).isEqualTo(DEMO);
    }

    @Test
    void exportIsStable() {
        assertThat(BookWriter.write(DEMO_AGAIN)).isEqualTo(BookWriter.write(DEMO));
    }

    @Test
    void exportWritesNormalisedFormAndNoPin() {
        String yaml = BookWriter.write(DEMO);

        assertThat(yaml).contains("lines: [\"+49301234567\"]", "\"+49900*\"", "from: \"08:30\"",
                "days: \"tue,thu\"", "pin-hash: \"pbkdf2-sha256$", "ring-seconds: { put-through: 20, screen: 25 }",
                "region: \"DE\"", "timezone: \"Europe/Berlin\"", "to: \"24:00\"")
                .doesNotContain("pin: ", "4711");
    }

    @Test
    void emptyBookSurvivesExportAndImport() {
        assertThat(load(BookWriter.write(Book.empty()))).isEqualTo(Book.empty());
    }

    @ParameterizedTest(name = "{0} -> {1} from {2} at {4}")
    @CsvSource(nullValues = "-", value = {
            "030 1234567,   +49309876543, -,             false, 2025-03-04T09:00:00Z",  // vip, available
            "030 1234567,   anonymous,    -,             false, 2025-03-04T20:00:00Z",  // anonymous, unavailable
            "+493012345670, +49900123456, +49301234567,  false, 2025-03-04T09:00:00Z",  // forwarded, blocked
            "040 5551231,   +491725550000, -,            false, 2025-03-05T10:00:00Z",  // hotline, unknown
            "040 5551230,   040 428430,   -,             false, 2025-03-08T10:00:00Z",  // court on saturday
            "+442079460123, +49305550100, -,             false, 2025-03-04T12:45:00Z",  // smith's lunch
            "089 5554321,   0171 9999999, -,             true,  2025-03-04T22:30:00Z",  // night emergency
            "089 5554321,   089 23610000, -,             false, 2025-03-08T21:00:00Z",  // saturday until 24:00
            "+49 30 999999, 0171 9999999, -,             false, 2025-03-04T09:00:00Z",  // unknown line
    })
    void decisionsUnchangedByRoundTrip(String to, String from, String forwardedFrom, boolean restricted,
                                      String at) {
        Call call = new Call(to, from, forwardedFrom, restricted, null);
        Instant t = Instant.parse(at);

        Decision before = Router.decide(snapshot(DEMO), call, t);
        Decision after = Router.decide(snapshot(DEMO_AGAIN), call, t);

        assertThat(after).isEqualTo(before);
    }

    @Test
    void demoRoutesAsTheDesignSays() {
        Decision d = Router.decide(snapshot(DEMO), Call.of("+49301234567", "+49309876543"),
                Instant.parse("2025-03-04T09:00:00Z"));

        assertThat(d.client()).isEqualTo("mueller");
        assertThat(d.caller().contact()).isEqualTo("Labor Schmidt");
        assertThat(d.status()).isEqualTo(Status.AVAILABLE);
        // the client's own rule 2 (contact Labor Schmidt -> screen, urgent) comes before default rule 4
        assertThat(d.action()).isEqualTo(Action.SCREEN);
        assertThat(d.urgent()).isTrue();
        assertThat(d.target()).containsExactly("PJSIP/anna", "PJSIP/ben");
    }

    private static RoutingSnapshot snapshot(Book book) {
        return new RoutingSnapshot(BookIndex.of(book), LiveStatus.empty(), Set.of());
    }

    // ---- generated books ----

    @Property(tries = 200)
    void generatedBookSurvivesExportAndImport(@ForAll long seed) {
        Book book = new Generator(new Random(seed)).book();

        assertThat(load(BookWriter.write(book))).isEqualTo(book);
    }

    @Property(tries = 50)
    void generatedBookSurvivesTwoRoundTrips(@ForAll long seed) {
        Book book = new Generator(new Random(seed)).book();
        Book once = load(BookWriter.write(book));

        assertThat(load(BookWriter.write(once))).isEqualTo(load(BookWriter.write(book)));
    }

    /** Random valid books whose texts are meant to trip a careless writer. */
    private static final class Generator {
        private static final String[] REGIONS = {"DE", "GB", "US", "NO", "AT"};
        private static final String[] ZONES = {"Europe/Berlin", "Europe/London", "America/New_York", "UTC", "Z",
                "+01:00", "Europe/Oslo"};
        private static final String[] LANGUAGES = {"de", "en", "fr", "no", "nb", "it", "tr"};
        private static final String[] TEXTS = {"Müller", "Dr. \"Quote\" Berg", "a: b", "- dash", "# hash",
                "null", "true", "~", "0815", "14:00", "back\\slash", "line\nbreak", "tab\there", "  padded  ",
                "€ 5", "emoji \uD83D\uDCDE", "[not, a, list]", "{x: y}", "'single'", "&anchor", "*alias", "!tag",
                "%percent", "@at", "`tick`", "\u0001ctl", "\u2028sep", "\uFEFFbom", "é", "yes", "No"};
        private static final String[] PREFIXES = {"+4930", "+4940", "+4989", "+44207", "+1212", "+47"};
        private static final PinHasher HASHER = new PinHasher(1);

        private final Random r;
        private int numberSeq;

        Generator(Random r) {
            this.r = r;
        }

        Book book() {
            Defaults d = new Defaults(pick(REGIONS), ZoneId.of(pick(ZONES)), pick(LANGUAGES), 1 + r.nextInt(300),
                    1 + r.nextInt(300));
            List<Secretary> secretaries = new ArrayList<>();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                List<String> langs = new ArrayList<>();
                for (int j = 0, m = r.nextInt(3); j < m; j++) langs.add(pick(LANGUAGES));
                secretaries.add(new Secretary(id("s", i), text(), "PJSIP/" + text().trim(), langs));
            }
            List<Client> clients = new ArrayList<>();
            for (int i = 0, n = r.nextInt(5); i < n; i++) clients.add(client(id("c", i), d));
            return new Book(1, d, secretaries, clients);
        }

        private Client client(String id, Defaults d) {
            String region = r.nextBoolean() ? d.region() : pick(REGIONS);
            ZoneId zone = r.nextBoolean() ? d.timezone() : ZoneId.of(pick(ZONES));
            String language = r.nextBoolean() ? d.language() : pick(LANGUAGES);
            List<String> lines = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) lines.add(number());
            String reach = r.nextInt(4) == 0 ? null : number();
            String sms = switch (r.nextInt(3)) {
                case 0 -> reach;
                case 1 -> number();
                default -> null;
            };
            String name = text();
            String shortName = r.nextBoolean() ? name : text();
            String greeting = r.nextBoolean() ? null : text();
            String pinHash = r.nextBoolean() ? null : HASHER.hash("1234");
            List<Window> hours = new ArrayList<>();
            for (int i = 0, n = r.nextInt(4); i < n; i++) hours.add(window());
            List<Contact> contacts = new ArrayList<>();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                List<NumberPattern> numbers = new ArrayList<>();
                for (int j = 0, m = 1 + r.nextInt(3); j < m; j++) numbers.add(pattern());
                contacts.add(new Contact(text() + " #" + i, numbers, pick(ContactClass.values())));
            }
            List<Rule> rules = new ArrayList<>();
            for (int i = 0, n = r.nextInt(5); i < n; i++) {
                Condition c = new Condition(
                        r.nextBoolean() ? null : pick(CallerClass.values()),
                        contacts.isEmpty() || r.nextBoolean() ? null : pick(contacts).name(),
                        r.nextBoolean() ? null : pattern(),
                        r.nextBoolean() ? null : r.nextBoolean(),
                        r.nextBoolean() ? null : pick(Status.values()),
                        r.nextBoolean() ? null : window(),
                        r.nextBoolean() ? null : lines.get(r.nextInt(lines.size())));
                rules.add(new Rule(c, pick(Action.values()), r.nextBoolean()));
            }
            return new Client(id, name, shortName, greeting, lines, reach, sms, region, zone, language, pinHash,
                    hours, contacts, rules, List.of(), null, calendar(), holidays());
        }

        private CalendarSource calendar() {
            return switch (r.nextInt(5)) {
                case 0 -> null;
                case 1 -> new CalendarSource("https://cal.example.de/dav/" + pick(TEXTS).length() + "/praxis/", r.nextBoolean());
                case 2 -> new CalendarSource("webcal://example.com/feed.ics?key=a%22b&c=%20", false);
                case 3 -> new CalendarSource("/var/lib/vorzimmer/calendars/Müller Praxis.ics", false);
                default -> new CalendarSource("file:///tmp/a%20b.ics", false);
            };
        }

        private HolidayRegion holidays() {
            String[] regions = {null, "DE-BY", "DE-HH", "AT", "GB-ENG", "DE-BY-AG"};
            String code = pick(regions);
            return code == null ? null : HolidayRegion.parse(code);
        }

        private Window window() {
            return new Window(DaySet.of(1 + r.nextInt(0x7f)), r.nextInt(Window.END_OF_DAY),
                    r.nextInt(Window.END_OF_DAY + 1));
        }

        /** A fresh, unique, valid number in E.164 (lines must not repeat across the book). */
        private String number() {
            int seq = 1_000 + numberSeq++;
            String e164 = switch (r.nextInt(5)) {
                case 0 -> "+4930" + String.format("%07d", 2_000_000 + seq);
                case 1 -> "+4940" + String.format("%07d", 3_000_000 + seq);
                case 2 -> "+44207946" + String.format("%04d", seq);
                case 3 -> "+1212555" + String.format("%04d", seq);
                default -> "+4722" + String.format("%06d", seq);
            };
            return PhoneNumbers.toE164(e164, "DE");
        }

        private NumberPattern pattern() {
            if (r.nextBoolean()) return NumberPattern.exact(number());
            String prefix = pick(PREFIXES) + r.nextInt(10) + r.nextInt(10);
            return PhoneNumbers.toPattern(prefix + "*", "DE");
        }

        private String text() {
            String t = pick(TEXTS);
            return r.nextBoolean() ? t : t + " " + pick(TEXTS);
        }

        private String id(String kind, int i) {
            String[] odd = {"null", "true", "no", "0815", "1", "a-b_c"};
            return r.nextInt(3) == 0 ? odd[r.nextInt(odd.length)] + "-" + kind + i : kind + i;
        }

        private <T> T pick(T[] values) {
            return values[r.nextInt(values.length)];
        }

        private <T> T pick(List<T> values) {
            return values.get(r.nextInt(values.size()));
        }
    }
}
