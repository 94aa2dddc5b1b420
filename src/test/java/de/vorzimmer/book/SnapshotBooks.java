package de.vorzimmer.book;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Valid books built directly from records, numbers already in E.164, for snapshot tests: every field of every
 * part set, unset and at its edges ({@link #varied}), or the shape of a large answering service ({@link #large}).
 * Public, so the store tests can use them too.
 */
public final class SnapshotBooks {
    private static final String[] REGIONS = {"DE", "GB", "US", "NO", "AT"};
    private static final String[] ZONES = {"Europe/Berlin", "Europe/London", "America/New_York", "UTC", "Z",
            "+01:00", "Europe/Oslo"};
    private static final String[] LANGUAGES = {"de", "en", "fr", "no", "it", "tr"};
    private static final String[] TEXTS = {"Müller", "Dr. \"Quote\" Berg", "a: b", "", "  padded  ", "line\nbreak",
            "€ 5", "emoji \uD83D\uDCDE", "\u0000nul", "é", "日本語", "x".repeat(300)};
    private static final PinHasher HASHER = new PinHasher(1);
    private static final String PIN_HASH = HASHER.hash("4711");

    private final Random r;
    private int numberSeq;

    public SnapshotBooks(Random r) {
        this.r = r;
    }

    /** A book of {@code clients} clients with {@code contacts} contacts and {@code rules} rules each. */
    public Book large(int clients, int contacts, int rules) {
        Defaults d = Defaults.STANDARD;
        List<Secretary> secretaries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            secretaries.add(new Secretary("sec" + i, "Secretary " + i, "PJSIP/sec" + i,
                    i % 3 == 0 ? List.of("de", "en") : List.of("de")));
        }
        List<Client> out = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            List<String> lines = List.of(number(), number());
            List<Contact> cs = new ArrayList<>(contacts);
            for (int j = 0; j < contacts; j++) {
                List<NumberPattern> numbers = j % 5 == 4
                        ? List.of(new NumberPattern("+49900", true), new NumberPattern("+49180", true))
                        : List.of(NumberPattern.exact(number()));
                cs.add(new Contact("Contact " + i + "-" + j, numbers, ContactClass.values()[j % 3]));
            }
            List<Rule> rs = new ArrayList<>(rules);
            for (int j = 0; j < rules; j++) {
                Condition c = switch (j % 5) {
                    case 0 -> new Condition(CallerClass.ANONYMOUS, null, null, false, null, null, null);
                    case 1 -> new Condition(null, cs.isEmpty() ? null : cs.get(0).name(), null, null, null, null, null);
                    case 2 -> new Condition(null, null, null, null, Status.DND, null, lines.get(1));
                    case 3 -> new Condition(null, null, new NumberPattern("+4930", true), null, null,
                            new Window(DaySet.parse("sat-sun"), 600, 1080), null);
                    default -> Condition.ALWAYS;
                };
                rs.add(new Rule(c, Action.values()[j % 4], j % 2 == 0));
            }
            out.add(new Client("client" + i, "Client " + i, "C" + i, "Guten Tag, Client " + i + ".", lines, number(),
                    null, "DE", d.timezone(), "de", i % 4 == 0 ? PIN_HASH : null,
                    List.of(new Window(DaySet.parse("mon-fri"), 510, 1080), new Window(DaySet.parse("sat"), 600, 720)),
                    cs, rs, i % 10 == 0 ? List.of(new IntakeField("Rückrufnummer", true)) : List.of(),
                    i % 7 == 0 ? LocalTime.of(18, 0) : null));
        }
        return new Book(1, d, secretaries, out);
    }

    /** A small book in which every optional field is randomly present or absent and every enum value occurs. */
    public Book varied() {
        Defaults d = new Defaults(pick(REGIONS), ZoneId.of(pick(ZONES)), pick(LANGUAGES), 1 + r.nextInt(300),
                1 + r.nextInt(300));
        List<Secretary> secretaries = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            List<String> langs = new ArrayList<>();
            for (int j = 0, m = r.nextInt(3); j < m; j++) langs.add(pick(LANGUAGES));
            secretaries.add(new Secretary("s" + i, r.nextBoolean() ? null : text(), "PJSIP/" + text(), langs));
        }
        List<Client> clients = new ArrayList<>();
        for (int i = 0, n = r.nextInt(5); i < n; i++) clients.add(client("c" + i, d));
        return new Book(1, d, secretaries, clients);
    }

    private Client client(String id, Defaults d) {
        List<String> lines = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) lines.add(number());
        String reach = r.nextInt(4) == 0 ? null : number();
        String sms = switch (r.nextInt(3)) {
            case 0 -> reach;
            case 1 -> number();
            default -> null;
        };
        List<Window> hours = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) hours.add(window());
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            List<NumberPattern> numbers = new ArrayList<>();
            for (int j = 0, m = 1 + r.nextInt(3); j < m; j++) {
                numbers.add(r.nextBoolean() ? NumberPattern.exact(number())
                        : new NumberPattern("+" + (1 + r.nextInt(99)), true));
            }
            contacts.add(new Contact(text() + " #" + i, numbers, pick(ContactClass.values())));
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0, n = r.nextInt(6); i < n; i++) {
            Condition c = new Condition(
                    r.nextBoolean() ? null : pick(CallerClass.values()),
                    contacts.isEmpty() || r.nextBoolean() ? null : contacts.get(r.nextInt(contacts.size())).name(),
                    r.nextBoolean() ? null : NumberPattern.exact(number()),
                    r.nextBoolean() ? null : r.nextBoolean(),
                    r.nextBoolean() ? null : pick(Status.values()),
                    r.nextBoolean() ? null : window(),
                    r.nextBoolean() ? null : lines.get(r.nextInt(lines.size())));
            rules.add(new Rule(c, pick(Action.values()), r.nextBoolean()));
        }
        List<IntakeField> intake = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) intake.add(new IntakeField("Feld " + i + " " + text().trim()
                .replace("x".repeat(300), "x"), r.nextBoolean()));
        LocalTime digest = switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> LocalTime.MIDNIGHT;
            default -> LocalTime.of(r.nextInt(24), r.nextInt(60));
        };
        return new Client(id, text(), r.nextBoolean() ? null : text(), r.nextBoolean() ? null : text(), lines, reach,
                sms, r.nextBoolean() ? d.region() : pick(REGIONS), r.nextBoolean() ? d.timezone() : ZoneId.of(pick(ZONES)),
                r.nextBoolean() ? d.language() : pick(LANGUAGES), r.nextBoolean() ? null : HASHER.hash("1234"), hours,
                contacts, rules, intake, digest,
                r.nextBoolean() ? null : new CalendarSource("https://dav.example.de/" + id + "/", r.nextBoolean()),
                r.nextBoolean() ? null : new HolidayRegion(pick(new String[] {"DE-BY", "DE-HH", "AT", "GB-ENG"})));
    }

    private Window window() {
        return new Window(DaySet.of(1 + r.nextInt(0x7f)), r.nextInt(Window.END_OF_DAY),
                r.nextInt(Window.END_OF_DAY + 1));
    }

    /** A fresh E.164 number; lines must not repeat across a book. */
    private String number() {
        return "+49" + (300_000_000L + numberSeq++);
    }

    private String text() {
        return pick(TEXTS) + (r.nextBoolean() ? "" : " " + pick(TEXTS));
    }

    private <T> T pick(T[] values) {
        return values[r.nextInt(values.length)];
    }
}
