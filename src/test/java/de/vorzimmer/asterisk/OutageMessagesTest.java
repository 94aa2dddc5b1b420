package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.config.Config;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message recorded while the server was unreachable (sidecar {@code fallback=1}, no client) gets, on import, the
 * decision a live call would have had at its instant: the book and the status of then, its urgency and its SMS
 * (queued once, with the message), the caller as the book names them. A caller's own display name never becomes the
 * message's name, and a withheld caller has no number on it.
 */
class OutageMessagesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String BOOK = """
            version: 1
            defaults: { region: DE, timezone: Europe/Berlin, language: de }
            clients:
            """ + TestClients.MUELLER + """
                sms: "+49 170 1111119"
                hours: [ { days: mon-sun, from: "00:00", to: "24:00" } ]
                contacts:
                  - { name: Notar Klein, numbers: ["030 5554444"], class: vip }
                rules:
                  - { if: { contact: Notar Klein }, then: message, urgent: true }
                  - { if: { status: dnd }, then: message, urgent: true }
            """;

    @TempDir
    Path dir;
    private Stores store;
    private Messaging messaging;
    private CallMessages messages;

    private void open(String... books) throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast());
        // the versions in order, the last one an hour ago (the book in force now)
        for (int i = 0; i < books.length; i++) {
            Book book = BookLoader.load(books[i], PinHasher.fast());
            store.books().save(book, "test", NOW.minus(Duration.ofHours(2L * (books.length - i) - 1)));
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        LiveRouting routing = new LiveRouting(store.snapshots().at(NOW), clock);
        Book current = store.books().current().orElseThrow();
        messaging = Messaging.start(new Messaging.Settings(null, Duration.ofSeconds(5), Duration.ofHours(1)),
                store.database(), store.messages(), store.outbox(), () -> current, clock);
        messages = new CallMessages(store.messages(), store.books(), store.overrides(), routing, messaging.desk());
    }

    @AfterEach
    void close() {
        if (messaging != null) messaging.close();
        if (store != null) store.close();
    }

    private static Sidecar outage(String id, Instant at, String caller, String callerName) {
        return Sidecar.parse("""
                uniqueid=%s
                time=%s
                caller=%s
                caller_name=%s
                dialed=+49309990000
                forwarded_from=+49301234567
                client=
                urgent=0
                fallback=1
                recording=/spool/vorzimmer/vz-%s.wav
                """.formatted(id, at, caller, callerName, id), Instant.EPOCH);
    }

    private List<Notification> sms(OptionalLong message) {
        return store.outbox().forMessage(message.getAsLong());
    }

    @Test
    void aVipsMessageFromTheOutageIsUrgentAsTheRuleSaysAndQueuesOneSms() throws Exception {
        open(BOOK);
        OptionalLong id = messages.recording(outage("1.1", NOW.minusSeconds(600), "+49305554444", "Klein"));
        OptionalLong again = messages.recording(outage("1.1", NOW.minusSeconds(600), "+49305554444", "Klein"));

        Message m = store.messages().get(id.getAsLong()).orElseThrow();
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.urgent()).isTrue();
        assertThat(m.line()).isEqualTo("+49301234567");
        assertThat(m.callerName()).as("the book's name, not the caller's own").isEqualTo("Notar Klein");
        assertThat(again).isEmpty();
        assertThat(sms(id)).hasSize(1).allSatisfy(n -> {
            assertThat(n.to()).isEqualTo("+491701111119");
            assertThat(n.body()).startsWith("DRINGEND Müller: Notar Klein, ");
        });
    }

    @Test
    void theStatusAtTheCallDecidesNotTheStatusAtTheImport() throws Exception {
        open(BOOK);
        // do not disturb from 3 h ago until 1 h ago: over by now, so the live snapshot no longer holds it
        store.overrides().add(new Override(0, "mueller", OverrideKind.DND, null, NOW.minus(Duration.ofHours(3)),
                NOW.minus(Duration.ofHours(1)), "Urlaub", "test"));
        OptionalLong during = messages.recording(outage("2.1", NOW.minus(Duration.ofHours(2)), "+49305550001", null));
        OptionalLong after = messages.recording(outage("2.2", NOW.minus(Duration.ofMinutes(30)), "+49305550001", null));

        assertThat(store.messages().get(during.getAsLong()).orElseThrow().urgent()).as("left during dnd").isTrue();
        assertThat(store.messages().get(after.getAsLong()).orElseThrow().urgent()).as("left after dnd").isFalse();
        assertThat(sms(during)).hasSize(1);
        assertThat(sms(after)).isEmpty();
    }

    @Test
    void theBookInForceAtTheCallDecides() throws Exception {
        String withoutTheRule = BOOK.replace("      - { if: { contact: Notar Klein }, then: message, urgent: true }\n", "");
        // the rule was in the book until an hour ago
        open(BOOK, withoutTheRule);
        OptionalLong before = messages.recording(outage("3.1", NOW.minus(Duration.ofMinutes(90)), "+49305554444", null));
        OptionalLong since = messages.recording(outage("3.2", NOW.minus(Duration.ofMinutes(30)), "+49305554444", null));

        assertThat(store.messages().get(before.getAsLong()).orElseThrow().urgent()).isTrue();
        assertThat(store.messages().get(since.getAsLong()).orElseThrow().urgent()).isFalse();
    }

    @Test
    void aWithheldCallerHasNoNumberAndAStrangerNoNameOnTheMessage() throws Exception {
        open(BOOK);
        OptionalLong withheld = messages.recording(outage("4.1", NOW.minusSeconds(60), "anonymous", null));
        OptionalLong stranger = messages.recording(outage("4.2", NOW.minusSeconds(60), "+49305550009", "Hans Meier"));

        Message w = store.messages().get(withheld.getAsLong()).orElseThrow();
        assertThat(w.callerNumber()).isEmpty();
        assertThat(w.clientId()).isEqualTo("mueller");
        Message s = store.messages().get(stranger.getAsLong()).orElseThrow();
        assertThat(s.callerNumber()).isEqualTo("+49305550009");
        assertThat(s.callerName()).as("what the caller's phone says is not a name from the book").isNull();
    }

    @Test
    void aDecidedCallsMessageTakesTheBookNameForTheNumber() throws Exception {
        open(BOOK);
        OptionalLong id = messages.recording(Sidecar.parse("""
                uniqueid=5.1
                time=2026-11-30T11:59:00Z
                caller=0305554444
                caller_name=Klein
                dialed=+49301234567
                client=mueller
                urgent=1
                fallback=0
                recording=/spool/vorzimmer/vz-5.1.wav
                """, Instant.EPOCH));

        Message m = store.messages().get(id.getAsLong()).orElseThrow();
        assertThat(m.callerNumber()).isEqualTo("+49305554444");
        assertThat(m.callerName()).isEqualTo("Notar Klein");
        assertThat(sms(id)).singleElement().satisfies(n -> assertThat(n.body()).startsWith("DRINGEND Müller: Notar Klein, "));
    }
}
