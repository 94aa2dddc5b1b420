package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.console.ApiTokenStore;
import de.vorzimmer.console.ConsoleUser;
import de.vorzimmer.console.Role;
import de.vorzimmer.console.SessionStore;
import de.vorzimmer.console.UserStore;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.TestDb;
import de.vorzimmer.store.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vorzimmer migrate-db}: from a firm's SQLite file into an empty PostgreSQL database, every table. */
class MigrateDbTest {
    static final Instant NOW = CliTest.NOW;

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void aFirmOnSqlite() throws IOException {
        TestDb.sqliteOnly("copies from an SQLite file (on the PostgreSQL pass every file is a PostgreSQL database)");
        db = dir.resolve("vz.db");
        Path book = dir.resolve("book.yaml");
        try (InputStream in = getClass().getResourceAsStream("/demo/book.yaml")) {
            Files.write(book, in.readAllBytes());
        }
        ok("import", book.toString(), "--db", db.toString());
        ok("status", "mueller", "dnd", "--note", "OP", "--db", db.toString());
        ok("expect", "mueller", "030 9876543", "--db", db.toString());
        try (Database d = Database.open(db)) {
            MessageStore messages = new MessageStore(d);
            OutboxStore outbox = new OutboxStore(d, MessageStore.NOTIFIED_WHEN_SENT);
            for (int i = 0; i < 3; i++) {
                long id = messages.add(Message.received(NOW.plusSeconds(i), "mueller", "+49301234567", "+4930987654" + i,
                        "Caller " + i, MessageKind.MISSED, null, null, true, "call-" + i), mid -> List.of(
                        new NewNotification(NewNotification.urgentKey(mid), NotificationKind.URGENT, "mueller",
                                "+491701111111", "Urgent " + mid, NOW, NOW.plusSeconds(3600))));
                if (i == 0) messages.setState(id, MessageState.READ, "anna", NOW.plusSeconds(60));
            }
            new UserStore(d).put(new ConsoleUser("anna", Role.SECRETARY, "anna", "Anna", "pbkdf2-sha256$1$aa$bb", NOW,
                    NOW, false));
            new SessionStore(d).create(new SessionStore.Session("k".repeat(64), "anna", "c".repeat(32), NOW, NOW), "test");
            new ApiTokenStore(d).add("crm", "t".repeat(64), NOW, "admin");
            new CallChoiceStore(d).add("call-1", "message", "anna", NOW, true);
            new PhoneInStore(d).recordAttempt("mueller", false, NOW, "asterisk", "call-9", "+4930111");
            new de.vorzimmer.status.DutyStore(d).set("bernd", false, NOW, "console");
        }
        ok("route", "--to", "030 1234567", "--from", "030 5555555", "--db", db.toString());
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.run(NOW, args);
        assertThat(r.exit()).as("exit of %s; stderr: %s", List.of(args), r.err()).isZero();
        return r;
    }

    @Test
    void copiesEveryTableChecksTheCountsAndTheTargetRoutesAlike() throws Exception {
        String url = TestPostgres.newDatabase("migrate").location();
        CliRun r = CliRun.run(NOW, "migrate-db", "--db", db.toString(), "--to", url);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("every table's count matches");
        for (String table : List.of("book_versions", "overrides", "secretary_duty", "messages", "message_history",
                "outbox", "outbox_messages", "console_users", "console_sessions", "api_tokens", "call_choices",
                "phonein_pin_attempts")) {
            assertThat(r.out()).containsPattern("(?m)^" + table + " +[1-9][0-9]* rows$");
        }
        try (Database source = Database.open(db); Database target = Database.open(Database.Target.of(url), Durability.FULL)) {
            for (String table : List.of("messages", "message_history", "outbox", "outbox_messages", "overrides")) {
                assertThat(rows(target, table)).as(table).isEqualTo(rows(source, table));
            }
            // the identity sequences continue after the copied ids
            long next = new MessageStore(target).add(Message.received(NOW, "mueller", "+49301234567", "+4930999",
                    null, MessageKind.MISSED, null, null, false, "after"));
            assertThat(next).isEqualTo(4);
            assertThat(new MessageStore(target).get(1).orElseThrow().state()).isEqualTo(MessageState.READ);
            assertThat(new OutboxStore(target, MessageStore.NOTIFIED_WHEN_SENT).forMessage(2)).hasSize(1);
        }
        // the same decision from either database: book, status and expect overrides came along
        String from = "030 9876543";
        assertThat(ok("route", "--to", "030 1234567", "--from", from, "--at", CliTest.MONDAY_9, "--db", url).out())
                .isEqualTo(ok("route", "--to", "030 1234567", "--from", from, "--at", CliTest.MONDAY_9, "--db",
                        db.toString()).out());
    }

    @Test
    void aTargetWithRowsIsRefusedAndLeftAlone() {
        String url = TestPostgres.newDatabase("migrate").location();
        ok("migrate-db", "--db", db.toString(), "--to", url);
        CliRun again = CliRun.run(NOW, "migrate-db", "--db", db.toString(), "--to", url);
        assertThat(again.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(again.errLine()).startsWith("vorzimmer: target ").contains("is not empty (rows in ")
                .contains("book_versions").doesNotContain("\n");
    }

    @Test
    void badTargetsAreOneLineErrors() {
        CliRun notUrl = CliRun.run(NOW, "migrate-db", "--db", db.toString(), "--to", dir.resolve("other.db").toString());
        assertThat(notUrl.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(notUrl.errLine()).isEqualTo("vorzimmer: --to must be a jdbc:postgresql://HOST:PORT/DB URL");
        CliRun mysql = CliRun.run(NOW, "migrate-db", "--db", db.toString(), "--to", "jdbc:mysql://x/y");
        assertThat(mysql.exit()).isEqualTo(Main.BAD_INPUT);
        CliRun noSource = CliRun.run(NOW, "migrate-db", "--db", dir.resolve("none.db").toString(), "--to",
                TestPostgres.urlOf("nowhere"));
        assertThat(noSource.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(noSource.errLine()).contains("no database at");
        CliRun unreachable = CliRun.run(NOW, "migrate-db", "--db", db.toString(), "--to", TestPostgres.urlOf("does_not_exist"));
        assertThat(unreachable.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(unreachable.errLine()).contains("does_not_exist").doesNotContain("\n");
    }

    private static long rows(Database d, String table) {
        return d.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
