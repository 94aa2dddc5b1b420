package de.vorzimmer.routing;

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
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Books built in code for the routing tests, straight from the record constructors (no YAML loader), with
 * every number read through {@link PhoneNumbers} as the loader would. Clients are chosen so that each row of
 * the routing table exercises one rule of the design.
 */
final class TestBooks {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** The Monday of the week the tables speak of ("tue 09:00"); still winter time in Berlin. */
    static final LocalDate WEEK = LocalDate.of(2025, 3, 10);

    static final Secretary ANNA = new Secretary("anna", "Anna Weber", "PJSIP/anna", List.of("de", "en"));
    static final Secretary BEN = new Secretary("ben", "Ben Carter", "PJSIP/ben", List.of("en"));
    static final Secretary CHIARA = new Secretary("chiara", "Chiara Rossi", "PJSIP/chiara", List.of("it"));

    private TestBooks() {
    }

    /** {@code "tue 09:00"} in the test week, Berlin time. */
    static Instant at(String dayAndTime) {
        String[] p = dayAndTime.trim().split("\\s+");
        DayOfWeek day = Arrays.stream(DayOfWeek.values())
                .filter(d -> d.name().toLowerCase(Locale.ROOT).startsWith(p[0].toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no day '" + p[0] + "'"));
        LocalDate date = WEEK.with(TemporalAdjusters.nextOrSame(day));
        return date.atTime(LocalTime.parse(p[1])).atZone(BERLIN).toInstant();
    }

    static String e164(String text) {
        return PhoneNumbers.toE164(text, "DE");
    }

    static NumberPattern pattern(String text) {
        return PhoneNumbers.toPattern(text, "DE");
    }

    static Window window(String days, String from, String to) {
        return new Window(DaySet.parse(days), Window.parseTime(from, false), Window.parseTime(to, true));
    }

    static Contact contact(String name, ContactClass cls, String... numbers) {
        return new Contact(name, Arrays.stream(numbers).map(TestBooks::pattern).toList(), cls);
    }

    static Rule rule(Condition c, Action action) {
        return new Rule(c, action, false);
    }

    static Rule urgentRule(Condition c, Action action) {
        return new Rule(c, action, true);
    }

    static Condition ifCaller(CallerClass c) {
        return new Condition(c, null, null, null, null, null, null);
    }

    static Condition ifContact(String name) {
        return new Condition(null, name, null, null, null, null, null);
    }

    static Condition ifNumber(String pattern) {
        return new Condition(null, null, pattern(pattern), null, null, null, null);
    }

    static Condition ifAvailable(boolean available) {
        return new Condition(null, null, null, available, null, null, null);
    }

    static Condition ifStatus(Status s) {
        return new Condition(null, null, null, null, s, null, null);
    }

    static Condition ifTime(String days, String from, String to) {
        return new Condition(null, null, null, null, null, window(days, from, to), null);
    }

    static Condition ifLine(String line) {
        return new Condition(null, null, null, null, null, null, e164(line));
    }

    static Condition ifCallerAndAvailable(CallerClass c, boolean available) {
        return new Condition(c, null, null, available, null, null, null);
    }

    static Client client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                         String language, List<Window> hours, List<Contact> contacts, List<Rule> rules) {
        String r = reach == null ? null : e164(reach);
        return new Client(id, name, shortName, greeting, lines.stream().map(TestBooks::e164).toList(), r, r, "DE",
                BERLIN, language, null, hours, contacts, rules);
    }

    /** Client {@code mueller} exactly as the design's sample book has it, both rules included. */
    static Client mueller() {
        return muellerWith(List.of(
                rule(ifCallerAndAvailable(CallerClass.ANONYMOUS, false), Action.MESSAGE),
                urgentRule(ifContact("Labor Schmidt"), Action.SCREEN)));
    }

    static Client muellerWith(List<Rule> rules) {
        return client("mueller", "Zahnarztpraxis Dr. Müller", "Müller", "Zahnarztpraxis Dr. Müller, guten Tag.",
                List.of("030 1234567"), "+49 170 1111111", "de",
                List.of(window("mon-fri", "08:30", "12:00"), window("tue,thu", "14:00", "18:00")),
                List.of(contact("Labor Schmidt", ContactClass.VIP, "030 9876543"),
                        contact("Werbung", ContactClass.BLOCKED, "+49 900*", "+49 180*")),
                rules);
    }

    /** A lawyer with default rules only and contacts that overlap: exact inside a long prefix inside a short one. */
    static Client weber() {
        return client("weber", "Kanzlei Weber", null, "Kanzlei Weber, good morning.",
                List.of("030 2000000", "030 2000001"), "0170 2222222", "en",
                List.of(window("mon-fri", "09:00", "17:00")),
                List.of(contact("Klein", ContactClass.NORMAL, "030 1111111"),
                        contact("Partner", ContactClass.VIP, "030 7777777"),
                        contact("Netz", ContactClass.NORMAL, "030 555*"),
                        contact("Notdienst", ContactClass.VIP, "030 5551*"),
                        contact("Exakt", ContactClass.BLOCKED, "030 5551234"),
                        contact("Spam", ContactClass.BLOCKED, "+49 900*")),
                List.of());
    }

    /** Always within hours, but in do-not-disturb by override. */
    static Client koch() {
        return client("koch", "Malermeister Koch", "Koch", null, List.of("030 4000000"), "0170 4444444", "de",
                List.of(window("mon-sun", "00:00", "24:00")),
                List.of(contact("Chef", ContactClass.VIP, "030 7777777"),
                        contact("Spam", ContactClass.BLOCKED, "+49 900*")),
                List.of());
    }

    /** One own rule per condition type, in an order where first-match-wins is visible. */
    static Client hofmann() {
        return client("hofmann", "Architekt Hofmann", "Hofmann", null, List.of("030 3000000", "030 3000001"),
                "0170 3333333", "de", List.of(window("mon-fri", "08:00", "18:00")),
                List.of(contact("Steuerberater", ContactClass.NORMAL, "030 4444444"),
                        contact("Mutter", ContactClass.VIP, "030 4444445"),
                        contact("Spam", ContactClass.BLOCKED, "+49 900*")),
                List.of(rule(ifCallerAndAvailable(CallerClass.ANONYMOUS, false), Action.MESSAGE),
                        urgentRule(ifContact("Steuerberater"), Action.PUT_THROUGH),
                        rule(ifNumber("+49 40*"), Action.REJECT),
                        urgentRule(ifStatus(Status.DND), Action.MESSAGE),
                        rule(ifTime("sat-sun", "00:00", "24:00"), Action.MESSAGE),
                        urgentRule(ifLine("030 3000001"), Action.SCREEN),
                        rule(ifCallerAndAvailable(CallerClass.KNOWN, true), Action.PUT_THROUGH),
                        rule(ifCaller(CallerClass.VIP), Action.MESSAGE)));
    }

    /** Speaks Italian: only Chiara does. */
    static Client rossi() {
        return client("rossi", "Studio Rossi", "Rossi", null, List.of("030 5000000"), "0170 5555555", "it",
                List.of(window("mon-sun", "00:00", "24:00")), List.of(), List.of());
    }

    /** Speaks French (no secretary does) and has no reach number. */
    static Client dupont() {
        return client("dupont", "Cabinet Dupont", "Dupont", null, List.of("030 6000000"), null, "fr",
                List.of(window("mon-sun", "00:00", "24:00")),
                List.of(contact("Patron", ContactClass.VIP, "030 7777777")), List.of());
    }

    static Book book() {
        return new Book(Book.FORMAT, Defaults.STANDARD, List.of(ANNA, BEN, CHIARA),
                List.of(mueller(), weber(), koch(), hofmann(), rossi(), dupont()));
    }

    static Override status(String client, OverrideKind kind, Instant setAt, Instant until) {
        return new Override(0, client, kind, null, setAt, until, null, "test");
    }

    static Override expect(String client, String number, Instant setAt, Instant until) {
        return new Override(0, client, OverrideKind.EXPECT, pattern(number), setAt, until, null, "test");
    }

    static List<Override> overrides() {
        Instant march1 = Instant.parse("2025-03-01T00:00:00Z");
        Instant april1 = Instant.parse("2025-04-01T00:00:00Z");
        return List.of(
                expect("weber", "030 9999999", march1, april1),
                expect("weber", "0900 777777", march1, null),
                expect("weber", "030 8888888", march1, Instant.parse("2025-03-05T00:00:00Z")),
                status("koch", OverrideKind.DND, march1, null),
                expect("koch", "030 9999999", march1, april1),
                status("hofmann", OverrideKind.DND, at("wed 10:00"), at("wed 11:00")));
    }
}
