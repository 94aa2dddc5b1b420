package de.vorzimmer.bench;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Condition;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.ContactClass;
import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.Rule;
import de.vorzimmer.book.Secretary;
import de.vorzimmer.book.Window;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.status.LiveStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A generated client book the size of a large answering-service firm: 10,000 clients with 20 contacts
 * (exact numbers and prefix patterns of every class), 5 rules and 3 windows each, and 30 secretaries.
 * Every number is written in national or international form and read through {@link PhoneNumbers}, as the
 * book loader does. Deterministic for a seed.
 */
public final class BenchBook {
    public static final int CLIENTS = 10_000;
    public static final int CONTACTS = 20;
    public static final int SECRETARIES = 30;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String[] AREAS = {"30", "40", "89", "221", "69", "711", "351"};
    private static final String[] LANGUAGES = {"de", "de", "de", "en", "tr", "it"};

    public final Book book;
    public final List<Override> overrides = new ArrayList<>();
    /** Per client: numbers of its vip, normal and blocked exact contacts and a prefix pattern it has, E.164. */
    final String[][] vipNumber;
    final String[][] knownNumber;
    final String[] patternPrefix;

    private BenchBook(long seed) {
        Random r = new Random(seed);
        List<Secretary> secretaries = new ArrayList<>();
        for (int i = 0; i < SECRETARIES; i++) {
            List<String> langs = switch (i % 5) {
                case 0 -> List.of("de", "en");
                case 1, 2 -> List.of("de");
                case 3 -> List.of("en", "tr");
                default -> List.of("de", "it");
            };
            secretaries.add(new Secretary("s" + i, "Secretary " + i, "PJSIP/s" + i, langs));
        }
        vipNumber = new String[CLIENTS][];
        knownNumber = new String[CLIENTS][];
        patternPrefix = new String[CLIENTS];
        List<Client> clients = new ArrayList<>(CLIENTS);
        Instant base = Instant.parse("2025-03-10T00:00:00Z");
        for (int i = 0; i < CLIENTS; i++) {
            String id = String.format("c%05d", i);
            List<String> lines = new ArrayList<>(2);
            lines.add(PhoneNumbers.toE164(line(i), "DE"));
            if (i % 4 == 0) lines.add(PhoneNumbers.toE164("040 " + (3_000_000 + i), "DE"));
            String reach = PhoneNumbers.toE164("0170 " + (1_000_000 + i), "DE");

            List<Contact> contacts = new ArrayList<>(CONTACTS);
            List<String> vips = new ArrayList<>();
            List<String> known = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                String national = "0" + AREAS[r.nextInt(AREAS.length)] + " " + (1_000_000 + r.nextInt(8_999_999));
                NumberPattern n = PhoneNumbers.toPattern(national, "DE");
                ContactClass cls = k < 2 ? ContactClass.VIP : k < 11 ? ContactClass.NORMAL : ContactClass.BLOCKED;
                if (cls == ContactClass.VIP) vips.add(n.digits());
                if (cls == ContactClass.NORMAL) known.add(n.digits());
                contacts.add(new Contact("Contact " + k, List.of(n), cls));
            }
            contacts.add(new Contact("Werbung", List.of(PhoneNumbers.toPattern("+49 900*", "DE"),
                    PhoneNumbers.toPattern("+49 180*", "DE")), ContactClass.BLOCKED));
            for (int k = 13; k < CONTACTS; k++) {
                String area = AREAS[r.nextInt(AREAS.length)];
                String digits = Integer.toString(1000 + r.nextInt(9000)).substring(0, 1 + r.nextInt(3));
                NumberPattern p = PhoneNumbers.toPattern("+49 " + area + " " + digits + "*", "DE");
                if (k == 13) patternPrefix[i] = p.digits();
                ContactClass cls = k % 3 == 0 ? ContactClass.VIP : k % 3 == 1 ? ContactClass.NORMAL : ContactClass.BLOCKED;
                contacts.add(new Contact("Range " + k, List.of(p), cls));
            }
            vipNumber[i] = vips.toArray(new String[0]);
            knownNumber[i] = known.toArray(new String[0]);

            int shift = r.nextInt(4) * 30;
            List<Window> hours = List.of(
                    new Window(DaySet.parse("mon-fri"), 8 * 60 + shift, 12 * 60 + shift),
                    new Window(DaySet.parse("tue,thu"), 14 * 60, 18 * 60),
                    new Window(DaySet.parse("sat"), 22 * 60, 2 * 60));
            List<Rule> rules = List.of(
                    new Rule(new Condition(CallerClass.ANONYMOUS, null, null, false, null, null, null), Action.MESSAGE,
                            false),
                    new Rule(new Condition(null, "Contact 2", null, null, null, null, null), Action.SCREEN, true),
                    new Rule(new Condition(null, null, null, null, null,
                            new Window(DaySet.parse("sat-sun"), 0, Window.END_OF_DAY), null), Action.MESSAGE, false),
                    new Rule(new Condition(CallerClass.VIP, null, null, null, Status.DND, null, null),
                            Action.PUT_THROUGH, false),
                    new Rule(new Condition(CallerClass.UNKNOWN, null, null, false, null, null, lines.get(0)),
                            Action.MESSAGE, false));
            String language = LANGUAGES[i % LANGUAGES.length];
            clients.add(new Client(id, "Client " + i, "C" + i, "Client " + i + ", good day.", lines, reach, reach,
                    "DE", BERLIN, language, null, hours, contacts, rules));

            if (i % 10 == 3) {
                overrides.add(new Override(i, id, OverrideKind.DND, null, base, base.plusSeconds(14 * 86400), null, "bench"));
            }
            if (i % 10 == 7) {
                overrides.add(new Override(i, id, OverrideKind.EXPECT, NumberPattern.exact(expectedNumber(i)), base,
                        null, null, "bench"));
            }
            if (i % 10 == 5) {
                overrides.add(new Override(i, id, OverrideKind.AVAILABLE, null, base.minusSeconds(86400), null, null, "bench"));
                overrides.add(new Override(i, id, OverrideKind.SCHEDULE, null, base, null, null, "bench"));
            }
        }
        book = new Book(Book.FORMAT, Defaults.STANDARD, secretaries, clients);
    }

    public static BenchBook generate() {
        return new BenchBook(42);
    }

    static String line(int client) {
        return "030 " + (2_000_000 + client);
    }

    static String expectedNumber(int client) {
        return "+4915" + (100_000_000 + client);
    }

    /** A call of one of the mixes the firm sees, with every number in E.164, and the instant it comes in. */
    /** The routing snapshot of this book: its overrides live, secretaries s3 and s17 off duty. */
    public RoutingSnapshot snapshot() {
        return new RoutingSnapshot(BookIndex.of(book), LiveStatus.of(overrides), Set.of("s3", "s17"));
    }

    public record TimedCall(Call call, Instant at) {
        /** The calls of {@code timed}, in order: an array a benchmark indexes without allocating. */
        static Call[] calls(List<TimedCall> timed) {
            return timed.stream().map(TimedCall::call).toArray(Call[]::new);
        }

        /** The instants of {@code timed}, in order. */
        static Instant[] instants(List<TimedCall> timed) {
            return timed.stream().map(TimedCall::at).toArray(Instant[]::new);
        }
    }

    /**
     * {@code n} calls rotating through: vip, known, pattern contact, unknown, blocked, anonymous, forwarded,
     * expected, unknown line; at instants spread over a week (in hours, outside, weekend, night).
     */
    public List<TimedCall> calls(int n, long seed, boolean national) {
        Random r = new Random(seed);
        List<TimedCall> calls = new ArrayList<>(n);
        LocalDateTime monday = LocalDateTime.of(2025, 3, 10, 0, 0);
        for (int k = 0; k < n; k++) {
            int c = r.nextInt(CLIENTS);
            String line = PhoneNumbers.toE164(line(c), "DE");
            String from;
            String to = line;
            String fwd = null;
            boolean restricted = false;
            switch (k % 9) {
                case 0 -> from = vipNumber[c][r.nextInt(vipNumber[c].length)];
                case 1 -> from = knownNumber[c][r.nextInt(knownNumber[c].length)];
                case 2 -> from = patternPrefix[c] + "1234567".substring(0, 13 - patternPrefix[c].length());
                case 3 -> from = "+49" + "1512" + (1_000_000 + r.nextInt(8_999_999));
                case 4 -> from = "+49900" + (1_000_000 + r.nextInt(8_999_999));
                case 5 -> {
                    from = r.nextBoolean() ? "anonymous" : "+4930" + (5_000_000 + r.nextInt(999_999));
                    restricted = !from.equals("anonymous");
                }
                case 6 -> {
                    from = knownNumber[c][0];
                    to = "+49" + "3012" + (100_000 + r.nextInt(899_999));
                    fwd = line;
                }
                case 7 -> from = expectedNumber(c - c % 10 + 7 < CLIENTS ? c - c % 10 + 7 : 7);
                default -> {
                    from = "+49" + "1512" + (1_000_000 + r.nextInt(8_999_999));
                    to = "+49" + "3099" + (100_000 + r.nextInt(899_999));
                }
            }
            if (k % 9 == 7) {
                int owner = c - c % 10 + 7 < CLIENTS ? c - c % 10 + 7 : 7;
                to = PhoneNumbers.toE164(line(owner), "DE");
            }
            Instant at = monday.plusDays(r.nextInt(7)).plusMinutes(r.nextInt(24 * 60)).atZone(BERLIN).toInstant();
            if (national) {
                to = nationalForm(to);
                from = nationalForm(from);
                fwd = fwd == null ? null : nationalForm(fwd);
            }
            calls.add(new TimedCall(new Call(to, from, fwd, restricted, null), at));
        }
        return calls;
    }

    /** {@code +4930123} as a German would dial it: {@code 030 123}; other text unchanged. */
    static String nationalForm(String e164) {
        if (!e164.startsWith("+49")) return e164;
        String rest = e164.substring(3);
        return "0" + rest.substring(0, 2) + " " + rest.substring(2);
    }
}
