package de.vorzimmer.messages;

import de.vorzimmer.store.Database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path dir;
    Path file;
    Database db;
    MessageStore store;

    @BeforeEach
    void open() {
        file = dir.resolve("vz.db");
        db = Database.open(file);
        store = new MessageStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Message message(Instant at, String client, boolean urgent) {
        return Message.received(at, client, "+49301234567", "+49309876543", "Labor Schmidt", MessageKind.RECORDING,
                null, "/var/spool/asterisk/vz/1.wav", urgent, "1700000000.1");
    }

    @Test
    void addedMessageIsCommittedAndReadsBackEqual() {
        Message m = message(T0, "mueller", true);
        long id = store.add(m);
        // a second connection sees it at once: add() returns only after the commit
        try (Database other = Database.open(file)) {
            assertThat(new MessageStore(other).get(id)).contains(m.withId(id));
        }
    }

    @Test
    void aNulCharacterInOutsideTextIsStoredAsAReplacementCharacterOnEitherDatabase() {
        long id = store.add(Message.received(T0, "mueller", "+49301234567", "+49309876543", "Lab\u0000or", MessageKind.RECORDING,
                null, "vz-\u0000.wav", false, null));
        Message stored = store.get(id).orElseThrow();
        assertThat(stored.callerName()).isEqualTo("Lab\uFFFDor");
        assertThat(stored.recordingPath()).isEqualTo("vz-\uFFFD.wav");
    }

    @Test
    void listFiltersByClientStateUrgencyAndTimeNewestFirst() {
        long a = store.add(message(T0, "mueller", true));
        long b = store.add(message(T0.plusSeconds(60), "weber", false));
        long c = store.add(message(T0.plusSeconds(120), "mueller", false));
        long d = store.add(Message.received(T0.plusSeconds(180), null, "+4930999", "", null, MessageKind.MISSED, null,
                null, false, null));

        assertThat(store.list(MessageFilter.all())).extracting(Message::id).containsExactly(d, c, b, a);
        assertThat(store.list(MessageFilter.all().forClient("mueller"))).extracting(Message::id).containsExactly(c, a);
        assertThat(store.list(MessageFilter.all().urgentOnly(true))).extracting(Message::id).containsExactly(a);
        assertThat(store.list(MessageFilter.all().since(T0.plusSeconds(60)).limit(2)))
                .extracting(Message::id).containsExactly(d, c);
        store.setState(b, MessageState.READ, "anna", T0.plusSeconds(300));
        assertThat(store.list(MessageFilter.all().inState(MessageState.NEW))).extracting(Message::id)
                .containsExactly(d, c, a);
        assertThat(store.list(MessageFilter.all().inState(MessageState.READ))).extracting(Message::id)
                .containsExactly(b);
    }

    @Test
    void stateTransitionsRecordWhoAndWhen() {
        long id = store.add(message(T0, "mueller", true));
        Message notified = store.setState(id, MessageState.NOTIFIED, "sms", T0.plusSeconds(5)).orElseThrow();
        assertThat(notified.state()).isEqualTo(MessageState.NOTIFIED);
        Message done = store.setState(id, MessageState.DONE, "anna", T0.plusSeconds(600)).orElseThrow();
        assertThat(done.state()).isEqualTo(MessageState.DONE);
        assertThat(done.stateChangedBy()).isEqualTo("anna");
        assertThat(done.stateChangedAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(done.createdAt()).isEqualTo(T0);
        assertThat(store.get(id)).contains(done);
    }

    @Test
    void settingTheStateOfAnUnknownMessageChangesNothing() {
        assertThat(store.setState(42, MessageState.READ, "anna", T0)).isEmpty();
    }
}
