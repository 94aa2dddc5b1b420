package de.vorzimmer.cli;

import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.calls.CallLogStore;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.store.Database;
import de.vorzimmer.messages.MessageStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {
    /** Monday 2026-11-30 08:00 in Berlin. */
    static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");
    /** Monday 09:00 in Berlin: Dr. Müller's office hours. */
    static final String MONDAY_9 = "2026-11-30T08:00:00Z";

    @TempDir
    Path dir;
    Path db;
    Path book;

    @BeforeEach
    void demoBook() throws IOException {
        db = dir.resolve("data/vz.db");
        book = dir.resolve("book.yaml");
        try (InputStream in = getClass().getResourceAsStream("/demo/book.yaml")) {
            assertThat(in).as("demo book on the classpath").isNotNull();
            Files.write(book, in.readAllBytes());
        }
    }

    CliRun vz(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db.toString());
        return CliRun.run(NOW, all.toArray(String[]::new));
    }

    CliRun ok(String... args) {
        CliRun r = vz(args);
        assertThat(r.exit()).as("exit of %s; stderr: %s", List.of(args), r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    String route(String... args) {
        return ok(args).out();
    }

    @Test
    void importSummarisesTheBook() {
        CliRun r = ok("import", book.toString());
        assertThat(r.out()).isEqualTo("imported " + book + ": 4 clients, 3 secretaries, 5 lines (book version 1)\n");
        assertThat(Files.exists(db)).isTrue();
    }

    @Test
    void routePrintsTheDecisionJsonForLaborSchmidt() {
        ok("import", book.toString());
        // The client's own rule "contact Labor Schmidt -> screen, urgent" comes before default rule 4.
        String json = route("route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9);
        assertThat(json).endsWith("}\n").doesNotContain("\n{");
        assertThat(json).startsWith("{\"client\":\"mueller\",\"line\":\"+49301234567\","
                + "\"caller\":{\"number\":\"+49309876543\",\"class\":\"vip\",\"contact\":\"Labor Schmidt\"},"
                + "\"status\":\"available\",\"action\":\"screen\",\"target\":[\"PJSIP/anna\",\"PJSIP/ben\"],"
                + "\"urgent\":true,\"then\":[\"message\"],\"display\":\"Müller: Labor Schmidt\"");
    }

    @Test
    void routeDefaultsToNowAndReadsForwardedCalls() {
        ok("import", book.toString());
        String json = route("route", "--to", "+49 89 1111111", "--forwarded-from", "030 1234567",
                "--from", "030 9876543");
        // now is Monday 08:00 in Berlin, before Dr. Müller's hours begin at 08:30
        assertThat(json).startsWith("{\"client\":\"mueller\",\"line\":\"+49301234567\"")
                .contains("\"status\":\"unavailable\"", "unavailable: outside hours");
    }

    @Test
    void statusChangesTheNextRoute() {
        ok("import", book.toString());
        String before = route("route", "--to", "030 1234567", "--anonymous", "--at", MONDAY_9);
        assertThat(before).contains("\"class\":\"anonymous\"", "\"status\":\"available\"", "\"action\":\"screen\"");

        CliRun set = ok("status", "mueller", "unavailable", "--until", "10:00", "--note", "OP");
        assertThat(set.out()).isEqualTo(
                "mueller: unavailable from 2026-11-30 08:00 Europe/Berlin until 2026-11-30 10:00 Europe/Berlin (OP)\n");
        String after = route("route", "--to", "030 1234567", "--anonymous", "--at", MONDAY_9);
        // rule 1 of the book: anonymous and not available -> message
        assertThat(after).contains("\"status\":\"unavailable\"", "\"action\":\"message\"", "\"target\":[]");
        String later = route("route", "--to", "030 1234567", "--anonymous", "--at", "2026-11-30T09:30:00Z");
        assertThat(later).contains("\"status\":\"available\"", "\"action\":\"screen\"");

        ok("status", "mueller", "dnd");
        assertThat(route("route", "--to", "030 1234567", "--from", "030 5550000", "--at", MONDAY_9))
                .contains("\"status\":\"dnd\"");
        CliRun back = ok("status", "mueller", "schedule");
        assertThat(back.out()).isEqualTo("mueller: schedule (office hours decide) from 2026-11-30 08:00 Europe/Berlin"
                + " until replaced\n");
        assertThat(route("route", "--to", "030 1234567", "--from", "030 5550000", "--at", MONDAY_9))
                .contains("\"status\":\"available\"");
    }

    @Test
    void untilIsReadInTheClientsTimezone() {
        ok("import", book.toString());
        assertThat(ok("status", "smith", "dnd", "--until", "2026-11-30T15:00").out())
                .isEqualTo("smith: dnd from 2026-11-30 07:00 Europe/London until 2026-11-30 15:00 Europe/London\n");
        assertThat(ok("status", "mueller", "dnd", "--until", "2026-11-30T14:00:00Z").out())
                .endsWith("until 2026-11-30 15:00 Europe/Berlin\n");
        assertThat(ok("status", "mueller", "dnd", "--until", "07:30").out())
                .as("a time already past today means tomorrow")
                .endsWith("until 2026-12-01 07:30 Europe/Berlin\n");
    }

    @Test
    void expectPutsTheCallerThrough() {
        ok("import", book.toString());
        String before = route("route", "--to", "030 1234567", "--from", "030 5550000", "--at", MONDAY_9);
        assertThat(before).contains("\"class\":\"unknown\"", "\"action\":\"screen\"");

        CliRun set = ok("expect", "mueller", "030 5550000", "--until", "2026-11-30T10:00", "--note", "Herr Meier");
        assertThat(set.out()).isEqualTo("mueller: expecting +49305550000 from 2026-11-30 08:00 Europe/Berlin"
                + " until 2026-11-30 10:00 Europe/Berlin (Herr Meier)\n");
        String after = route("route", "--to", "030 1234567", "--from", "030 5550000", "--at", MONDAY_9);
        assertThat(after).contains("\"class\":\"expected\"", "\"action\":\"put-through\"",
                "\"target\":[\"+491701111111\"]");
        String afterwards = route("route", "--to", "030 1234567", "--from", "030 5550000", "--at",
                "2026-11-30T09:00:00Z");
        assertThat(afterwards).contains("\"class\":\"unknown\"");
    }

    @Test
    void expectTakesAPrefixPattern() {
        ok("import", book.toString());
        assertThat(ok("expect", "mueller", "030 555*").out()).startsWith("mueller: expecting +4930555* from ");
        assertThat(route("route", "--to", "030 1234567", "--from", "030 5551234", "--at", MONDAY_9))
                .contains("\"class\":\"expected\"");
    }

    @Test
    void exportThenImportGivesTheSameDecisions() {
        ok("import", book.toString());
        ok("status", "kanzlei-berg", "dnd");
        String yaml = ok("export").out();
        assertThat(yaml).contains("version: 1").doesNotContain("4711");
        Path out = dir.resolve("export/book.yaml");
        assertThat(ok("export", "--out", out.toString()).out()).isEqualTo("exported the book (4 clients) to " + out + "\n");
        assertThat(out).hasContent(yaml.stripTrailing());

        String[][] calls = {
                {"route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9},
                {"route", "--to", "040 5551231", "--from", "0151 1234567", "--at", MONDAY_9},
                {"route", "--to", "020 7946 0123", "--from", "+49 30 5550100", "--at", "2026-11-30T12:45:00Z"},
                {"route", "--to", "089 5554321", "--from", "089 23610", "--at", "2026-12-05T22:30:00Z"},
                {"route", "--to", "030 1234567", "--from", "0900 123456", "--at", MONDAY_9},
                {"route", "--to", "030 9999999", "--anonymous", "--at", MONDAY_9},
        };
        List<String> first = Stream.of(calls).map(this::route).toList();
        Path other = dir.resolve("other.db");
        CliRun imported = CliRun.run(NOW, "import", out.toString(), "--db", other.toString());
        assertThat(imported.exit()).isZero();
        for (int i = 0; i < calls.length; i++) {
            List<String> args = new ArrayList<>(List.of(calls[i]));
            args.addAll(List.of("--db", other.toString()));
            CliRun r = CliRun.run(NOW, args.toArray(String[]::new));
            if (i == 1) {
                // the dnd override lives in the first store only
                assertThat(r.out()).isNotEqualTo(first.get(i));
            } else {
                assertThat(r.out()).as("call %d", i).isEqualTo(first.get(i));
            }
        }
        assertThat(CliRun.run(NOW, "export", "--db", other.toString()).out()).isEqualTo(yaml);
    }

    @Test
    void importStoresTheSnapshotThatRouteReads() {
        ok("import", book.toString());
        String before = route("route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9);
        try (Database d = Database.open(db)) {
            // only the snapshot is left to read the book from
            d.write(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE book_versions SET yaml = 'version: [' WHERE snapshot IS NOT NULL");
                }
            });
        }

        assertThat(route("route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9))
                .isEqualTo(before);
        assertThat(vz("export").exit()).as("export reads the text, the source of truth").isNotZero();
    }

    @Test
    void rejectedBookLeavesThePreviousOneInForce() throws IOException {
        ok("import", book.toString());
        String before = route("route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9);
        String exported = ok("export").out();
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(book).replace("\"030 1234567\"", "\"hello\"")
                .replace("from: \"08:30\"", "from: \"25:00\""));

        CliRun r = vz("import", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vorzimmer: book " + bad + " rejected, ").endsWith("\n")
                .containsOnlyOnce("\n").contains("25:00", "hello");
        assertThat(route("route", "--to", "030 1234567", "--from", "030 9876543", "--at", MONDAY_9)).isEqualTo(before);
        assertThat(ok("export").out()).isEqualTo(exported);
    }

    @Test
    void importKeysPinHashesWithTheServersKeyWhenItHasOne() throws IOException {
        ok("import", book.toString());
        assertThat(ok("export").out()).as("no key yet: the server keys on its next start")
                .contains("pin-hash: \"pbkdf2-sha256$");
        Path keyFile = db.resolveSibling(de.vorzimmer.book.PinPepper.DEFAULT_FILE_NAME);
        de.vorzimmer.book.PinPepper pepper = de.vorzimmer.book.PinPepper.loadOrCreate(keyFile, new java.security.SecureRandom());
        ok("import", book.toString());
        String exported = ok("export").out();
        assertThat(exported).doesNotContain("pin-hash: \"pbkdf2-sha256$")
                .contains("pin-hash: \"pbkdf2-sha256-pepper." + pepper.id() + "$");
    }

    @Test
    void rejectedFirstBookCreatesNoDatabase() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 2\n");
        assertThat(vz("import", bad.toString()).exit()).isEqualTo(2);
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void withoutABookRouteAndExportSaySoInOneLine() {
        for (String[] args : new String[][] {{"route", "--to", "030 1234567", "--from", "030 9876543"}, {"export"},
                {"status", "mueller", "dnd"}}) {
            CliRun r = vz(args);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("vorzimmer: no book imported; run vorzimmer import BOOK.yaml\n");
        }
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void aCallersControlCharactersNeverReachTheTerminal() {
        ok("import", book.toString());
        try (Database database = Database.open(db)) {
            new MessageStore(database).add(Message.received(Instant.parse(MONDAY_9), "mueller", "+49301234567",
                    "+49309876543", "a\u0007\u001b[31mred\r\nInjected-Log: x", MessageKind.MISSED, null, null, false,
                    "9.9"));
        }
        String table = ok("messages").out();
        assertThat(table.chars().filter(c -> c < 0x20 && c != '\n').count()).as("control characters in " + table).isZero();
        assertThat(table.lines().toList()).hasSize(2);
        assertThat(table).contains("a\\u0007\\u001b[31mred; Injected-Log: x");
    }

    @Test
    void messagesAreListedAsTableAndJson() {
        ok("import", book.toString());
        try (Database database = Database.open(db)) {
            MessageStore store = new MessageStore(database);
            store.add(Message.received(Instant.parse(MONDAY_9), "mueller", "+49301234567", "+49309876543",
                    "Labor Schmidt", MessageKind.RECORDING, null, "/rec/1.wav", true, "1.1"));
            long typed = store.add(Message.received(Instant.parse("2026-11-30T09:00:00Z"), "smith", "+442079460123",
                    "", null, MessageKind.TYPED, "Please call \"back\"\nafter lunch", null, false, null));
            store.setState(typed, MessageState.READ, "anna", Instant.parse("2026-11-30T09:05:00Z"));
        }
        String table = ok("messages").out();
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table.lines().toList().get(0)).startsWith("ID").contains("TIME", "CLIENT", "STATE");
        assertThat(table.lines().toList().get(1)).contains("2026-11-30 09:00 Europe/London", "smith", "typed", "read", "anonymous",
                "Please call \"back\"; after lunch");
        assertThat(table.lines().toList().get(2)).contains("2026-11-30 09:00", "mueller", "recording", "new", "yes",
                "Labor Schmidt +49309876543", "[recording /rec/1.wav]");

        String json = ok("messages", "--client", "mueller", "--json").out();
        assertThat(json).isEqualTo("[\n{\"id\":1,\"created_at\":\"2026-11-30T08:00:00Z\",\"client\":\"mueller\","
                + "\"line\":\"+49301234567\",\"caller_number\":\"+49309876543\",\"caller_name\":\"Labor Schmidt\","
                + "\"kind\":\"recording\",\"text\":null,\"recording\":\"/rec/1.wav\",\"urgent\":true,\"unconfirmed\":true,\"state\":\"new\","
                + "\"state_changed_at\":\"2026-11-30T08:00:00Z\",\"state_changed_by\":null,\"call_id\":\"1.1\"}\n]\n");
        assertThat(ok("messages", "--client", "kanzlei-berg").out()).isEqualTo("no messages\n");
        assertThat(ok("messages", "--json", "--state", "done").out()).isEqualTo("[\n]\n");
    }

    @Test
    void theCallLogIsListedAsTableAndJson() {
        ok("import", book.toString());
        try (Database database = Database.open(db)) {
            de.vorzimmer.calls.CallLogStore calls = new de.vorzimmer.calls.CallLogStore(database);
            calls.append(new de.vorzimmer.calls.CallLogEntry(0, Instant.parse(MONDAY_9), "1764316800.42",
                    "PJSIP/trunk-00000001", "mueller", "+49301234567", "+49309876543", "vip", "available", "screen",
                    true, "{\"action\":\"screen\",\"why\":[\"rule 2\"]}"));
            calls.append(new de.vorzimmer.calls.CallLogEntry(0, Instant.parse("2026-11-30T09:00:00Z"),
                    "CA0123456789abcdef0123456789abcdef", "twilio", "smith", "+442079460123", "", "anonymous", null,
                    "message", false, "{\"action\":\"message\"}"));
        }
        List<String> table = ok("calls").out().lines().toList();
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).startsWith("TIME").contains("CLIENT", "CALLER", "ACTION", "CALL");
        assertThat(table.get(1)).contains("2026-11-30 09:00:00", "smith", "anonymous", "message",
                "CA0123456789abcdef0123456789abcdef (twilio)");
        assertThat(table.get(2)).contains("2026-11-30 09:00:00", "mueller", "+49309876543", "vip", "screen", "yes",
                "1764316800.42 (PJSIP/trunk-00000001)");

        assertThat(ok("calls", "--client", "mueller", "--json").out()).isEqualTo("[\n{\"id\":1,"
                + "\"at\":\"2026-11-30T08:00:00Z\",\"call_id\":\"1764316800.42\",\"channel\":\"PJSIP/trunk-00000001\","
                + "\"client\":\"mueller\",\"line\":\"+49301234567\",\"caller_number\":\"+49309876543\","
                + "\"caller_class\":\"vip\",\"status\":\"available\",\"action\":\"screen\",\"urgent\":true,"
                + "\"decision\":{\"action\":\"screen\",\"why\":[\"rule 2\"]}}\n]\n");
        assertThat(ok("calls", "--call", "1764316800.42").out().lines()).hasSize(2);
        assertThat(ok("calls", "--since", "2026-11-30T08:30:00Z").out()).doesNotContain("mueller").contains("smith");
        assertThat(ok("calls", "--limit", "1").out().lines()).hasSize(2);
        assertThat(ok("calls", "--client", "kanzlei-berg").out()).isEqualTo("no calls\n");
        assertThat(ok("calls", "--json", "--call", "nope").out()).isEqualTo("[\n]\n");
    }

    @Test
    void theCallLogWithoutADatabaseListsNothing() {
        assertThat(ok("calls").out()).isEqualTo("no calls\n");
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void messagesWithoutADatabaseListNothing() {
        assertThat(ok("messages").out()).isEqualTo("no messages\n");
        assertThat(Files.exists(db)).isFalse();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("unknown flag", List.of("route", "--to", "030 1234567", "--from", "030 9876543", "--bogus"),
                        "Unknown option: '--bogus'"),
                Arguments.of("unknown command", List.of("dial", "030 1234567"), "Unmatched argument"),
                Arguments.of("missing --to", List.of("route", "--from", "030 9876543"), "--to"),
                Arguments.of("missing --from", List.of("route", "--to", "030 1234567"), "--from"),
                Arguments.of("missing number", List.of("expect", "mueller"), "NUMBER"),
                Arguments.of("unknown client", List.of("status", "nobody", "dnd"), "unknown client 'nobody'"),
                Arguments.of("unknown client for expect", List.of("expect", "nobody", "030 5550000"),
                        "unknown client 'nobody'"),
                Arguments.of("unknown client for messages", List.of("messages", "--client", "nobody"),
                        "unknown client 'nobody'"),
                Arguments.of("unknown status", List.of("status", "mueller", "busy"), "bad status 'busy'"),
                Arguments.of("expect is not a status", List.of("status", "mueller", "expect"), "bad status 'expect'"),
                Arguments.of("unreadable expected number", List.of("expect", "mueller", "abc"), "unreadable number"),
                Arguments.of("unreadable caller", List.of("route", "--to", "030 1234567", "--from", "abc"),
                        "unreadable --from number"),
                Arguments.of("unreadable dialed number", List.of("route", "--to", "hello", "--from", "030 9876543"),
                        "unreadable --to number"),
                Arguments.of("bad instant", List.of("route", "--to", "030 1234567", "--from", "030 9876543", "--at",
                        "2026-11-30 08:00"), "bad --at '2026-11-30 08:00'"),
                Arguments.of("local time is no instant", List.of("route", "--to", "030 1234567", "--from",
                        "030 9876543", "--at", "2026-11-30T08:00"), "bad --at"),
                Arguments.of("bad until", List.of("status", "mueller", "dnd", "--until", "tomorrow"), "bad --until"),
                Arguments.of("bad clock time", List.of("status", "mueller", "dnd", "--until", "25:00"), "bad --until"),
                Arguments.of("until in the past", List.of("status", "mueller", "dnd", "--until", "2026-11-30T07:59"),
                        "is not in the future"),
                Arguments.of("bad message state", List.of("messages", "--state", "gone"), "unknown message state"),
                Arguments.of("bad limit", List.of("messages", "--limit", "0"), "limit 0"),
                Arguments.of("unknown client for calls", List.of("calls", "--client", "nobody"), "unknown client 'nobody'"),
                Arguments.of("bad since for calls", List.of("calls", "--since", "yesterday"), "--since 'yesterday'"),
                Arguments.of("bad limit for calls", List.of("calls", "--limit", "0"), "--limit 0"),
                Arguments.of("empty call id", List.of("calls", "--call", ""), "--call must be"),
                Arguments.of("missing book file", List.of("import", "no-such-book.yaml"),
                        "cannot read book no-such-book.yaml: no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineAndExitTwoAndWritesNothing(String what, List<String> args, String reason) {
        ok("import", book.toString());
        String exported = ok("export").out();
        String overrides = route("route", "--to", "030 1234567", "--anonymous", "--at", MONDAY_9);

        CliRun r = vz(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vorzimmer: ").contains(reason).endsWith("\n").containsOnlyOnce("\n");
        assertThat(ok("export").out()).isEqualTo(exported);
        assertThat(route("route", "--to", "030 1234567", "--anonymous", "--at", MONDAY_9)).isEqualTo(overrides);
    }

    @Test
    void noCommandIsBadInput() {
        CliRun r = CliRun.run(NOW);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vorzimmer: missing command, one of: ").containsOnlyOnce("\n");
    }

    @Test
    void helpGoesToStdoutWithExitZero() {
        CliRun r = CliRun.run(NOW, "route", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--to=NUMBER", "--from=NUMBER", "--forwarded-from=NUMBER", "--at=ISO-INSTANT",
                "--anonymous", "--db=PATH");
    }

    @Test
    void unopenableDatabaseIsBadInput() throws IOException {
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        CliRun r = CliRun.run(NOW, "import", book.toString(), "--db", file.resolve("vz.db").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vorzimmer: cannot create the folder for database ").containsOnlyOnce("\n");
    }
}
