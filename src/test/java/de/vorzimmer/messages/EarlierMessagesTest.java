package de.vorzimmer.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.FreshDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The screen-pop's earlier messages of a caller: found through the {@code caller_key} index (the last digits every
 * spelling of a number shares), newest first, whatever the client's history; migration V70 keys older rows the way
 * new ones are keyed.
 */
class EarlierMessagesTest {
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    Database db;
    MessageStore store;

    @BeforeEach
    void open() {
        db = fresh.db();
        store = new MessageStore(db);
    }

    long typed(String client, String caller, int minute) {
        return store.add(Message.received(T0.plusSeconds(60L * minute), client, "+49301234567", caller, null,
                MessageKind.TYPED, "note " + minute, null, false, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+49309876543      | 9876543",
            "030 9876543       | 9876543",
            "030 987 65 43     | 9876543",
            "(030) 98765-43    | 9876543",
            "+49 (0)30 9876543 | 9876543",
            "112               | 112"})
    void everySpellingOfANumberHasTheSameKey(String number, String key) {
        assertThat(MessageStore.callerKey(number)).isEqualTo(key);
    }

    @Test
    void theCallersMessagesAreFoundNewestFirstAmongThousandsOfOthers() {
        for (int i = 0; i < 3_000; i++) typed("mueller", "+49 30 555" + String.format("%04d", i), i);
        long a = typed("mueller", "030 9876543", 3_001);
        long b = typed("mueller", "+49309876543", 3_002);
        typed("schmidt", "+49309876543", 3_003); // another client's
        long c = typed("mueller", "0309876543", 3_004);
        List<Long> found = store.fromCaller("mueller", "+49309876543", 50).stream().map(Message::id).toList();
        assertThat(found).containsExactly(c, b, a);
        assertThat(store.fromCaller("mueller", "+49309876543", 2)).hasSize(2);
        assertThat(store.fromCaller("mueller", "", 50)).isEmpty();
    }

    @Test
    void theQueryReadsTheIndexNotTheClientsHistory() {
        de.vorzimmer.store.TestDb.sqliteOnly("reads SQLite's query plan");
        String plan = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN SELECT id, text FROM messages WHERE client_id = ? "
                    + "AND caller_key = ? ORDER BY created_at DESC LIMIT 50")) {
                p.setString(1, "mueller");
                p.setString(2, "9876543");
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.append(rs.getString("detail")).append('\n');
                }
                return out.toString();
            }
        });
        assertThat(plan).contains("USING INDEX messages_by_client_caller (client_id=? AND caller_key=?)")
                .doesNotContain("TEMP B-TREE");
    }

    @Test
    void migrationV70KeysOlderRowsAsNewOnesAreKeyed() throws IOException {
        List<String> numbers = List.of("+49309876543", "030 987 65 43", "(030) 98765-43", "112", "+44 20 7946 0123");
        for (int i = 0; i < numbers.size(); i++) typed("mueller", numbers.get(i), i);
        String update = updateOfV70();
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE messages SET caller_key = NULL"); // as rows stored before V70
                s.executeUpdate(update);
            }
            return null;
        });
        List<String> keys = new ArrayList<>();
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT caller_key FROM messages ORDER BY id")) {
                while (rs.next()) keys.add(rs.getString(1));
            }
            return null;
        });
        assertThat(keys).containsExactlyElementsOf(numbers.stream().map(MessageStore::callerKey).toList());
    }

    /** The UPDATE statement of V70__messages_by_caller.sql, as Flyway runs it. */
    static String updateOfV70() throws IOException {
        try (InputStream in = EarlierMessagesTest.class.getResourceAsStream("/db/migration/V70__messages_by_caller.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = text.indexOf("UPDATE messages");
            return text.substring(start, text.indexOf(';', start));
        }
    }
}
