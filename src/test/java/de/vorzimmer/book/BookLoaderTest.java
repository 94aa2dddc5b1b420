package de.vorzimmer.book;

import static de.vorzimmer.book.Books.PINS;
import static de.vorzimmer.book.Books.demoText;
import static de.vorzimmer.book.Books.load;
import static de.vorzimmer.book.Books.oneClient;
import static de.vorzimmer.book.Books.problems;
import static de.vorzimmer.book.Books.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BookLoaderTest {

    // ---- the demo book ----

    @Test
    void demoBookLoads() {
        Book book = load(Books.demoText());

        assertThat(book.defaults()).isEqualTo(Defaults.STANDARD);
        assertThat(book.secretaries()).extracting(Secretary::id, Secretary::endpoint, Secretary::languages)
                .containsExactly(tuple("anna", "PJSIP/anna", List.of("de", "en")),
                        tuple("ben", "PJSIP/ben", List.of("de")),
                        tuple("carla", "PJSIP/carla", List.of("en", "fr")));
        assertThat(book.clients()).extracting(Client::id)
                .containsExactly("mueller", "kanzlei-berg", "smith", "elektro-wagner");
    }

    @Test
    void demoMuellerIsTheDesignExample() {
        Client m = load(Books.demoText()).clients().get(0);

        assertThat(m.name()).isEqualTo("Zahnarztpraxis Dr. Müller");
        assertThat(m.shortName()).isEqualTo("Müller");
        assertThat(m.greeting()).isEqualTo("Zahnarztpraxis Dr. Müller, guten Tag.");
        assertThat(m.lines()).containsExactly("+49301234567");
        assertThat(m.reach()).isEqualTo("+491701111111");
        assertThat(m.sms()).isEqualTo("+491701111111");
        assertThat(m.language()).isEqualTo("de");
        assertThat(m.region()).isEqualTo("DE");
        assertThat(m.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(Books.PINS.verify("4711", m.pinHash())).isTrue();
        assertThat(m.hours()).containsExactly(
                new Window(DaySet.parse("mon-fri"), 8 * 60 + 30, 12 * 60),
                new Window(DaySet.parse("tue,thu"), 14 * 60, 18 * 60));
        assertThat(m.contacts()).containsExactly(
                new Contact("Labor Schmidt", List.of(NumberPattern.exact("+49309876543")), ContactClass.VIP,
                        "Befunde mit Patientennamen notieren"),
                new Contact("Familie Müller", List.of(NumberPattern.exact("+49305550123")), ContactClass.NORMAL,
                        "Familie – keine Daten aufnehmen"),
                new Contact("Werbung", List.of(new NumberPattern("+49900", true), new NumberPattern("+49180", true)),
                        ContactClass.BLOCKED));
        assertThat(m.rules()).containsExactly(
                new Rule(new Condition(CallerClass.ANONYMOUS, null, null, false, null, null, null),
                        Action.MESSAGE, false),
                new Rule(new Condition(null, "Labor Schmidt", null, null, null, null, null), Action.SCREEN, true));
    }

    @Test
    void demoClientsOverrideDefaults() {
        Client smith = load(Books.demoText()).clients().get(2);

        assertThat(smith.region()).isEqualTo("GB");
        assertThat(smith.timezone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(smith.language()).isEqualTo("en");
        assertThat(smith.lines()).containsExactly("+442079460123");
        assertThat(smith.sms()).isEqualTo("+447700900456");
    }

    @Test
    void bookFileLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("book.yaml");
        Files.writeString(file, Books.demoText(), StandardCharsets.UTF_8);

        assertThat(BookLoader.load(file, Books.PINS).clients()).hasSize(4);
    }

    @Test
    void bookFileNotUtf8Rejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("book.yaml");
        Files.write(file, "version: 1\nclients: []\n# M\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1));

        BookException e = assertThrows(BookException.class, () -> BookLoader.load(file, Books.PINS));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.why()).contains("not UTF-8"));
    }

    @Test
    void minimalBookTakesStandardDefaults() {
        Book book = load(Books.resource("/books/minimal.yaml"));

        assertThat(book.defaults()).isEqualTo(Defaults.STANDARD);
        assertThat(book.secretaries()).isEmpty();
        Client solo = book.clients().get(0);
        assertThat(solo.reach()).isNull();
        assertThat(solo.sms()).isNull();
        assertThat(solo.pinHash()).isNull();
        assertThat(solo.shortName()).isEqualTo("Solo Selbstständig");
        assertThat(solo.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    // ---- every problem at once ----

    @Test
    void tenMistakesGiveExactlyTenProblems() {
        List<BookProblem> problems = problems(Books.resource("/books/ten-mistakes.yaml"));

        assertThat(problems).extracting(BookProblem::where, BookProblem::field).containsExactlyInAnyOrder(
                tuple("defaults", "timezone"),
                tuple("defaults", "ring-seconds.screen"),
                tuple("secretary 'anna'", "languages[1]"),
                tuple("client 'mueller'", "reach"),
                tuple("client 'mueller'", "pin"),
                tuple("client 'mueller'", "hours[1].from"),
                tuple("client 'mueller'", "contacts[0].clas"),
                tuple("client 'mueller'", "rules[0].if.contact"),
                tuple("client 'mueller'", "rules[1].then"),
                tuple("client 'berg'", "lines[0]"));
    }

    @Test
    void problemsNameTheValueAndWhy() {
        List<BookProblem> problems = problems(Books.resource("/books/ten-mistakes.yaml"));

        assertThat(problems).extracting(BookProblem::toString).contains(
                "defaults: timezone = 'Europe/Berlinn': not a time zone (e.g. Europe/Berlin)",
                "client 'mueller': hours[1].from = '25:00': not a time HH:MM (00:00 to 23:59)",
                "client 'mueller': rules[1].then = 'voicemail': expected put-through, screen, message or reject",
                "client 'berg': lines[0] = '+49 30 1234567': line +49301234567 already belongs to client 'mueller'");
        assertThat(problems).filteredOn(p -> p.field().equals("contacts[0].clas")).singleElement()
                .satisfies(p -> assertThat(p.why()).startsWith("unknown key 'clas'"));
    }

    @Test
    void exceptionMessageCountsAndListsEveryProblem() {
        BookException e = assertThrows(BookException.class,
                () -> BookLoader.load(Books.resource("/books/ten-mistakes.yaml"), Books.PINS));

        assertThat(e.getMessage()).startsWith("client book rejected, 10 problems:\n");
        assertThat(e.getMessage().lines()).hasSize(11);
    }

    @Test
    void syntaxErrorReportedWithPosition() {
        List<BookProblem> problems = problems(Books.resource("/books/syntax-error.yaml"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("book");
            assertThat(p.why()).startsWith("YAML syntax error at line 4, column ")
                    .contains("mapping values are not allowed here");
        });
    }

    @Test
    void emptyTextRejected() {
        assertThat(problems("")).singleElement()
                .satisfies(p -> assertThat(p.why()).contains("empty"));
    }

    @Test
    void versionOtherThanOneRejected() {
        assertThat(problems("version: 2\nclients: []\n")).extracting(BookProblem::where, BookProblem::field,
                BookProblem::value).containsExactly(tuple("book", "version", "2"));
        assertThat(problems("clients: []\n")).extracting(BookProblem::field, BookProblem::why)
                .containsExactly(tuple("version", "is required"));
    }

    @Test
    void unknownKeysAnywhereNamed() {
        String yaml = """
                version: 1
                client: []
                defaults: { regoin: DE }
                secretaries:
                  - { id: anna, endpoint: PJSIP/anna, language: [de] }
                clients:
                  - id: solo
                    name: Solo
                    lines: ["030 5550001"]
                    hours: [{ days: mon, from: "08:00", til: "12:00" }]
                    rules: [{ if: { caler: vip }, then: screen }]
                """;

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field).containsExactlyInAnyOrder(
                tuple("book", "client"),
                tuple("defaults", "regoin"),
                tuple("secretary 'anna'", "language"),
                tuple("client 'solo'", "hours[0].til"),
                tuple("client 'solo'", "hours[0].to"),
                tuple("client 'solo'", "rules[0].if.caler"));
    }

    @Test
    void duplicateKeyIsAProblemAmongOthers() {
        String yaml = oneClient("""
                    name: Solo again
                    pin: "12"
                """);

        assertThat(problems(yaml)).extracting(BookProblem::field, BookProblem::why).containsExactly(
                tuple("name", "duplicate key 'name' (line 6)"),
                tuple("pin", "must be 4 to 8 digits (value not shown)"));
    }

    @Test
    void wrongShapesAreProblemsNotCrashes() {
        String yaml = """
                version: [1]
                defaults: DE
                secretaries: { id: anna }
                clients:
                  - just a name
                  - id: solo
                    name: [Solo, GmbH]
                    lines: "030 5550001"
                    hours: { days: mon }
                    contacts: ["Labor"]
                    rules: [{ if: caller, then: { put: through }, urgent: yes }]
                """;

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field).containsExactlyInAnyOrder(
                tuple("book", "version"),
                tuple("defaults", ""),
                tuple("book", "secretaries"),
                tuple("clients[0]", ""),
                tuple("client 'solo'", "name"),
                tuple("client 'solo'", "lines"),
                tuple("client 'solo'", "hours"),
                tuple("client 'solo'", "contacts[0]"),
                tuple("client 'solo'", "rules[0].if"),
                tuple("client 'solo'", "rules[0].then"),
                tuple("client 'solo'", "rules[0].urgent"));
    }

    @Test
    void requiredFieldsMissing() {
        String yaml = """
                version: 1
                secretaries: [{ name: Anna }]
                clients:
                  - { name: Nobody }
                  - { id: solo, lines: [] }
                  - id: other
                    name: Other
                    lines: ["030 5550002"]
                    contacts: [{ numbers: [] }]
                    rules: [{ if: {} }]
                """;

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field).containsExactlyInAnyOrder(
                tuple("secretaries[0]", "id"),
                tuple("secretaries[0]", "endpoint"),
                tuple("clients[0]", "id"),
                tuple("clients[0]", "lines"),
                tuple("client 'solo'", "name"),
                tuple("client 'solo'", "lines"),
                tuple("client 'other'", "contacts[0].name"),
                tuple("client 'other'", "contacts[0].numbers"),
                tuple("client 'other'", "rules[0].then"));
    }

    @Test
    void idsMustBeWellFormedAndUnique() {
        String yaml = """
                version: 1
                secretaries:
                  - { id: anna, endpoint: PJSIP/anna }
                  - { id: anna, endpoint: PJSIP/anna2 }
                clients:
                  - { id: Mueller, name: M, lines: ["030 5550001"] }
                  - { id: solo, name: S, lines: ["030 5550002"] }
                  - { id: solo, name: S2, lines: ["030 5550003"] }
                """;

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field, BookProblem::value)
                .containsExactly(
                        tuple("secretary 'anna'", "id", "anna"),
                        tuple("client 'Mueller'", "id", "Mueller"),
                        tuple("client 'solo'", "id", "solo"));
    }

    @Test
    void defaultsAndOverridesChecked() {
        String yaml = """
                version: 1
                defaults: { region: XX, timezone: Mars/Olympus, language: xx, ring-seconds: { put-through: 0 } }
                clients:
                  - { id: solo, name: S, lines: ["030 5550001"], region: ZZ, timezone: Nowhere, language: deu }
                """;

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field).containsExactly(
                tuple("defaults", "region"),
                tuple("defaults", "timezone"),
                tuple("defaults", "language"),
                tuple("defaults", "ring-seconds.put-through"),
                tuple("client 'solo'", "region"),
                tuple("client 'solo'", "timezone"),
                tuple("client 'solo'", "language"));
    }

    // ---- numbers ----

    @ParameterizedTest(name = "{0} in {1} -> {2} (prefix {3})")
    @CsvSource({
            "030 1234567,      DE, +49301234567,  false",
            "(030) 123-4567,   DE, +49301234567,  false",
            "0049 30 1234567,  DE, +49301234567,  false",
            "+49 900*,         DE, +49900,        true",
            "0180*,            DE, +49180,        true",
            "020 7946 0123,    GB, +442079460123, false",
            "07700 900*,       GB, +447700900,    true",
            "+49 30 1234567,   GB, +49301234567,  false",
    })
    void contactNumbersNormalisedWithClientRegion(String written, String region, String digits, boolean prefix) {
        String yaml = oneClient("    region: " + region + "\n    contacts: [{ name: X, numbers: [\"" + written
                + "\"] }]\n").replace("030 5550001", "+49 30 5550001");

        Contact contact = load(yaml).clients().get(0).contacts().get(0);

        assertThat(contact.numbers()).containsExactly(new NumberPattern(digits, prefix));
        assertThat(contact.contactClass()).isEqualTo(ContactClass.NORMAL);
    }

    @ParameterizedTest(name = "{1} = {2}")
    @CsvSource({
            "'    contacts: [{ name: X, numbers: [abc] }]', contacts[0].numbers[0], abc",
            "'    reach: abc',                               reach,                  abc",
            "'    sms: \"+999 12345\"',                      sms,                    +999 12345",
            "'    rules: [{ if: { number: \"abc*\" }, then: reject }]', rules[0].if.number, abc*",
            "'    rules: [{ if: { line: \"030*\" }, then: reject }]',   rules[0].if.line,   030*",
            "'    reach: \"0170*\"',                         reach,                  0170*",
    })
    void unreadableNumberNamesClientFieldAndValue(String extra, String field, String value) {
        assertThat(problems(oneClient(extra + "\n"))).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("client 'solo'");
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.value()).isEqualTo(value);
        });
    }

    @Test
    void unreadableLineNamesClientFieldAndValue() {
        String yaml = oneClient("").replace("\"030 5550001\"", "\"030 5550001\", abc, \"030*\"");

        assertThat(problems(yaml)).extracting(BookProblem::where, BookProblem::field, BookProblem::value)
                .containsExactly(tuple("client 'solo'", "lines[1]", "abc"), tuple("client 'solo'", "lines[2]", "030*"));
    }

    @Test
    void unquotedNumbersKeepTheirText() {
        String yaml = oneClient("    reach: +491701111111\n    sms: 01701111112\n");

        Client c = load(yaml).clients().get(0);
        assertThat(c.reach()).isEqualTo("+491701111111");
        assertThat(c.sms()).isEqualTo("+491701111112");
    }

    @Test
    void smsDefaultsToReachAndExplicitNullMeansNone() {
        assertThat(load(oneClient("    reach: \"0170 1111111\"\n")).clients().get(0).sms()).isEqualTo("+491701111111");
        assertThat(load(oneClient("    reach: \"0170 1111111\"\n    sms: ~\n")).clients().get(0).sms()).isNull();
    }

    @Test
    void lineUsedByTwoClientsRejected() {
        String yaml = """
                version: 1
                clients:
                  - { id: a, name: A, lines: ["030 1234567"] }
                  - { id: b, name: B, lines: ["+49 30 1234567"] }
                """;

        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("client 'b'");
            assertThat(p.field()).isEqualTo("lines[0]");
            assertThat(p.why()).isEqualTo("line +49301234567 already belongs to client 'a'");
        });
    }

    // ---- pins ----

    @Test
    void unquotedPinAccepted() {
        Client c = load(oneClient("    pin: 4711\n")).clients().get(0);

        assertThat(Books.PINS.verify("4711", c.pinHash())).isTrue();
    }

    @Test
    void unquotedPinWithLeadingZeroKeepsIt() {
        Client c = load(oneClient("    pin: 0815\n")).clients().get(0);

        assertThat(Books.PINS.verify("0815", c.pinHash())).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"'123'", "'123456789'", "'12a4'", "'-1234'"})
    void pinOtherThanFourToEightDigitsRejectedWithoutShowingIt(String pin) {
        assertThat(problems(oneClient("    pin: \"" + pin + "\"\n"))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("pin");
            assertThat(p.value()).isNull();
            assertThat(p.toString()).doesNotContain(pin);
        });
    }

    @Test
    void pinHashTakenAsIs() {
        String hash = Books.PINS.hash("2468");

        assertThat(load(oneClient("    pin-hash: \"" + hash + "\"\n")).clients().get(0).pinHash()).isEqualTo(hash);
    }

    @Test
    void pinHashMustLookLikeAHash() {
        assertThat(problems(oneClient("    pin-hash: \"4711\"\n"))).extracting(BookProblem::field)
                .containsExactly("pin-hash");
    }

    @Test
    void pinAndPinHashTogetherRejected() {
        String yaml = oneClient("    pin: \"4711\"\n    pin-hash: \"" + Books.PINS.hash("4711") + "\"\n");

        assertThat(problems(yaml)).singleElement()
                .satisfies(p -> assertThat(p.why()).isEqualTo("give either pin or pin-hash, not both"));
    }

    // ---- hours and time conditions ----

    @Test
    void windowEndingNotAfterItsStartRunsOverMidnight() {
        Window w = load(oneClient("    hours: [{ days: fri, from: \"22:00\", to: \"02:00\" }]\n"))
                .clients().get(0).hours().get(0);

        assertThat(w).isEqualTo(new Window(DaySet.parse("fri"), 22 * 60, 2 * 60));
        assertThat(w.crossesMidnight()).isTrue();
    }

    @Test
    void midnightAcceptedAsEnd() {
        Window w = load(oneClient("    hours: [{ days: sat, from: \"09:00\", to: \"24:00\" }]\n"))
                .clients().get(0).hours().get(0);

        assertThat(w.to()).isEqualTo(Window.END_OF_DAY);
        assertThat(w.crossesMidnight()).isFalse();
    }

    @Test
    void midnightRejectedAsStart() {
        assertThat(problems(oneClient("    hours: [{ days: sat, from: \"24:00\", to: \"02:00\" }]\n")))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("hours[0].from");
                    assertThat(p.value()).isEqualTo("24:00");
                });
    }

    @Test
    void unquotedTimesAreNotSexagesimalNumbers() {
        Window w = load(oneClient("    hours: [{ days: mon-fri, from: 14:00, to: 18:30 }]\n"))
                .clients().get(0).hours().get(0);

        assertThat(w.from()).isEqualTo(14 * 60);
        assertThat(w.to()).isEqualTo(18 * 60 + 30);
    }

    @Test
    void badDaysRejected() {
        assertThat(problems(oneClient("    hours: [{ days: mo-fr, from: \"08:00\", to: \"12:00\" }]\n")))
                .extracting(BookProblem::field, BookProblem::value).containsExactly(tuple("hours[0].days", "mo-fr"));
    }

    @Test
    void timeConditionDaysDefaultToEveryDay() {
        Rule r = load(oneClient("    rules: [{ if: { time: { from: \"12:00\", to: \"13:00\" } }, then: message }]\n"))
                .clients().get(0).rules().get(0);

        assertThat(r.condition().time()).isEqualTo(new Window(DaySet.parse("mon-sun"), 12 * 60, 13 * 60));
    }

    // ---- rules ----

    @Test
    void ruleWithEveryConditionLoads() {
        String yaml = oneClient("""
                    contacts: [{ name: Chef, numbers: ["0170 1234567"], class: vip }]
                    rules:
                      - if: { caller: known, contact: Chef, number: "0170*", available: true, status: available,
                              time: { days: mon-fri, from: "08:00", to: "09:00" }, line: "+49 30 5550001" }
                        then: put-through
                        urgent: true
                """);

        Rule r = load(yaml).clients().get(0).rules().get(0);

        assertThat(r).isEqualTo(new Rule(new Condition(CallerClass.KNOWN, "Chef", new NumberPattern("+49170", true),
                true, Status.AVAILABLE, new Window(DaySet.parse("mon-fri"), 480, 540), "+49305550001"),
                Action.PUT_THROUGH, true));
    }

    @Test
    void ruleReferencesChecked() {
        String yaml = oneClient("""
                    rules:
                      - { if: { caller: friend }, then: screen }
                      - { if: { status: busy }, then: screen }
                      - { if: { available: maybe }, then: screen }
                      - { if: { line: "030 5550009" }, then: screen }
                      - { if: { contact: Nobody }, then: screen, urgent: "sometimes" }
                """);

        assertThat(problems(yaml)).extracting(BookProblem::field, BookProblem::value).containsExactly(
                tuple("rules[0].if.caller", "friend"),
                tuple("rules[1].if.status", "busy"),
                tuple("rules[2].if.available", "maybe"),
                tuple("rules[3].if.line", "030 5550009"),
                tuple("rules[4].if.contact", "Nobody"),
                tuple("rules[4].urgent", "sometimes"));
    }

    @Test
    void ruleWithoutIfAlwaysHolds() {
        Rule r = load(oneClient("    rules: [{ then: message }]\n")).clients().get(0).rules().get(0);

        assertThat(r.condition()).isEqualTo(Condition.ALWAYS);
        assertThat(r.urgent()).isFalse();
    }

    @Test
    void contactNamesUniquePerClientAndClassChecked() {
        String yaml = oneClient("""
                    contacts:
                      - { name: X, numbers: ["0170 1111111"] }
                      - { name: X, numbers: ["0170 2222222"], class: friend }
                """);

        assertThat(problems(yaml)).extracting(BookProblem::field).containsExactly("contacts[1].name",
                "contacts[1].class");
    }

    // ---- YAML safety ----

    @Test
    void arbitraryTypesRefused() {
        String yaml = oneClient("    greeting: !!javax.script.ScriptEngineManager [!!java.net.URL [\"http://x\"]]\n");

        assertThat(problems(yaml)).singleElement()
                .satisfies(p -> assertThat(p.why()).contains("line 6").contains("tag is not allowed"));
    }

    @Test
    void aliasBombRefused() {
        StringBuilder yaml = new StringBuilder("version: 1\nx: &a [1, 2]\n");
        for (int i = 0; i < 60; i++) yaml.append("y").append(i).append(": [*a, *a]\n");

        assertThat(problems(yaml.toString())).isNotEmpty();
    }

    @Test
    void mergeKeysShareSettings() {
        String yaml = """
                version: 1
                clients:
                  - &base { id: a, name: A, lines: ["030 5550001"], region: DE, language: en }
                  - { <<: *base, id: b, lines: ["030 5550002"] }
                """;

        assertThat(load(yaml).clients()).extracting(Client::id, Client::language)
                .containsExactly(tuple("a", "en"), tuple("b", "en"));
    }

    @Test
    void theSinglePassIsTakenOnlyWhereItReadsTheSame() {
        assertThat(BookLoader.singlePassLayout(demoText())).isTrue();
        assertThat(BookLoader.singlePassLayout(oneClient(""))).isTrue();
        assertThat(BookLoader.singlePassLayout("version: 1\nclients: [{id: a}]\n")).isFalse();
        assertThat(BookLoader.singlePassLayout("version: 1\nclients:\n  - id: a\nsecretaries: []\n")).isFalse();
        assertThat(BookLoader.singlePassLayout(oneClient("---\n- id: b\n"))).isFalse();
        assertThat(BookLoader.singlePassLayout(oneClient("...\n"))).isFalse();
    }

    @Test
    void anAnchorAboveTheClientsIsFollowedAsBefore() {
        // the one-pass reading does not see the anchor; the book is read again the usual way and loads
        String yaml = """
                version: 1
                defaults: { language: &lang en, timezone: Europe/London }
                clients:
                  - id: a
                    name: A
                    lines: ["030 5550001"]
                    language: *lang
                """;
        assertThat(load(yaml).clients()).extracting(Client::language).containsExactly("en");
    }

    @Test
    void aSecondDocumentAfterTheClientsIsStillRefused() {
        assertThat(problems(oneClient("---\n- id: b\n"))).isNotEmpty();
    }

    @Test
    void bothReadingsGiveTheSameBook() throws Exception {
        for (String yaml : List.of(demoText(), resource("/books/minimal.yaml"), oneClient("    language: en\n"))) {
            Book once = BookLoader.loadWritten(yaml, PINS);
            Book usual = load(yaml);
            // plain PINs are hashed with a fresh salt each time; everything else must be equal
            assertThat(withoutPins(BookWriter.write(usual))).isEqualTo(withoutPins(BookWriter.write(once)));
        }
    }

    private static String withoutPins(String written) {
        return written.replaceAll("pin-hash: .*", "pin-hash: -");
    }
}
