package de.vorzimmer.twilio;

import static de.vorzimmer.twilio.TwilioHttp.all;
import static de.vorzimmer.twilio.TwilioHttp.one;
import static de.vorzimmer.twilio.TwilioHttp.twiml;
import static de.vorzimmer.twilio.TwilioWebhooksTest.ACCOUNT;
import static de.vorzimmer.twilio.TwilioWebhooksTest.PUBLIC;
import static de.vorzimmer.twilio.TwilioWebhooksTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.TestClients;
import org.awaitility.Awaitility;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.PinLockout;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The phone-in line over Twilio end to end: a real HTTP server with the Twilio routes mounted as the server mounts
 * them (behind the signature filter), a real SQLite file, requests signed independently ({@link TwilioSigner}),
 * TwiML parsed, the stored overrides, messages, PIN records and the routing decision checked.
 */
class PhoneInTwilioTest {
    /** Monday 30 November 2026, 09:00 in Berlin: inside Dr. Müller's hours. */
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final String LINE = "+49301234567";
    private static final String REACH = "+491701111111";
    private static final String PHONE_IN = "+49309990001";
    private static final String BOOK = """
            version: 1
            defaults: { region: DE, timezone: Europe/Berlin, language: de }
            secretaries:
              - { id: anna, name: Anna, endpoint: "client:anna", languages: [de, en] }
            clients:
            """ + TestClients.MUELLER + """
                language: de
                pin: "4711"
                hours: [ { days: mon-fri, from: "08:30", to: "12:00" } ]
                contacts:
                  - { name: Labor Schmidt, numbers: ["030 9876543"], class: vip }
            """ + TestClients.JANE_SMITH + """
                pin: "123456"
            """;

    @TempDir
    Path dir;
    TwilioNode node;
    Stores store;
    LiveRouting routing;
    PhoneInStore phoneIn;
    final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
    int sidCounter;

    @BeforeEach
    void start() throws Exception {
        TwilioSettings settings = new TwilioSettings(PUBLIC, TOKEN, ACCOUNT);
        node = new TwilioNode(dir, BOOK, PinHasher.fast(), NOW, settings);
        store = node.store;
        routing = node.routing;
        phoneIn = new PhoneInStore(store.database());
        Vertx vertx = node.vertx;
        vertx.eventBus().<JsonObject>consumer(PhoneInLine.ALERTS, m -> alerts.add(m.body()));
        PhoneInLine line = new PhoneInLine(routing, store.status(node.watcher::refresh), store.messages(), phoneIn,
                PinHasher.fast(), (address, body) -> vertx.eventBus().publish(address, body));
        // after the webhooks (and their /twilio/* signature filter), as VorzimmerServer mounts them
        new PhoneInRoutes(vertx, settings, line, phoneIn, PromptCatalogue.standard()).mount(node.router);
        node.listen();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** One phone-in call: posts the start, then each entry to the action URL of the last {@code <Gather>}. */
    final class PhoneCall {
        final String sid = String.format("CA%032x", ++sidCounter);
        final String from;
        Document last;

        PhoneCall(String from) throws Exception {
            this.from = from;
            last = twiml(post("/twilio/phonein", form(null)));
        }

        Document keys(String digits) throws Exception {
            String action = gather().getAttribute("action");
            assertThat(action).startsWith(PUBLIC + "/twilio/phonein/input?seq=");
            last = twiml(post(action.substring(PUBLIC.length()), form(digits)));
            return last;
        }

        Document timeout() throws Exception {
            return keys("");
        }

        Element gather() throws Exception {
            return one(last, "/Response/Gather");
        }

        String said() throws Exception {
            return text(last);
        }

        boolean hungUp() throws Exception {
            return !all(last, "/Response/Hangup").isEmpty() && all(last, "/Response/Gather").isEmpty();
        }

        Map<String, String> form(String digits) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("AccountSid", ACCOUNT);
            f.put("CallSid", sid);
            f.put("CallStatus", "in-progress");
            f.put("Direction", "inbound");
            f.put("From", from);
            f.put("To", PHONE_IN);
            if (digits != null) f.put("Digits", digits);
            return f;
        }
    }

    // ---- flows ---------------------------------------------------------------------------------------------

    @Test
    void clientSetsDoNotDisturbUntilATimeAndTheNextCallIsScreened() throws Exception {
        PhoneCall call = new PhoneCall(REACH);
        Element gather = call.gather();
        assertThat(gather.getAttribute("finishOnKey")).isEqualTo("#");
        assertThat(gather.getAttribute("actionOnEmptyResult")).isEqualTo("true");
        assertThat(one(call.last, "/Response/Gather/Say").getAttribute("language")).isEqualTo("de-DE");
        assertThat(call.said()).contains("Bitte geben Sie Ihre PIN ein.");
        call.keys("4711");
        assertThat(call.said()).contains("Ihr Status: erreichbar bis 12:00 Uhr").contains("Sie haben keine neuen Nachrichten")
                .contains("Für Ihren Status drücken Sie die 1");
        assertThat(call.gather().getAttribute("numDigits")).isEqualTo("1");
        call.keys("4");
        assertThat(call.said()).contains("Bis wann?");
        call.keys("1430");
        assertThat(call.said()).contains("Gespeichert. Ihr Status: bitte nicht stören bis 14:30 Uhr.");

        List<Override> stored = store.overrides().all();
        assertThat(stored).hasSize(1);
        Override o = stored.get(0);
        assertThat(o.kind()).isEqualTo(OverrideKind.DND);
        assertThat(o.source()).isEqualTo("phone-in");
        assertThat(o.until()).isEqualTo(Instant.parse("2026-11-30T13:30:00Z"));
        // routing sees it at once: a VIP who would be put through is screened (default rule 2: dnd -> screen)
        var d = routing.decide(new Call(LINE, "+49309876543", null, false, null), NOW);
        assertThat(d.status()).isEqualTo(Status.DND);
        assertThat(d.action()).isEqualTo(Action.SCREEN);

        call.keys("9");
        assertThat(call.hungUp()).isTrue();
        assertThat(call.said()).contains("Auf Wiederhören");
    }

    @Test
    void unknownCallerNamesTheLineAndSetsAvailableAndAnExpectedCaller() throws Exception {
        PhoneCall call = new PhoneCall("+49305550000");
        assertThat(call.said()).contains("Rufnummer");
        call.keys("0301234567");
        call.keys("4711");
        call.keys("2");
        assertThat(call.said()).contains("Ihr Status: erreichbar, bis Sie ihn ändern.".replace(",", ""));
        call.keys("6");
        call.keys("01709876543");
        assertThat(call.said()).contains("1 7 0 9 8 7 6 5 4 3");
        assertThat(store.overrides().all()).extracting(Override::kind)
                .containsExactly(OverrideKind.AVAILABLE, OverrideKind.EXPECT);
        var d = routing.decide(new Call(LINE, "+491709876543", null, false, null), NOW);
        assertThat(d.caller().callerClass().word()).isEqualTo("expected");
        assertThat(d.action()).isEqualTo(Action.PUT_THROUGH);
    }

    @Test
    void fiveWrongPinsInAnHourLockPhoneInAndAlertTheSecretaries() throws Exception {
        PhoneCall first = new PhoneCall(REACH);
        first.keys("0000");
        assertThat(first.said()).contains("Die Anmeldung ist fehlgeschlagen").contains("PIN");
        first.keys("1111");
        first.keys("2222");
        assertThat(first.hungUp()).isTrue();
        PhoneCall second = new PhoneCall("+49305550000"); // another phone, by line number
        second.keys("0301234567");
        second.keys("3333");
        assertThat(alerts).isEmpty();
        second.keys("0301234567");
        second.keys("4444");
        assertThat(second.hungUp()).isTrue();
        assertThat(second.said()).contains("für eine Stunde gesperrt");
        assertThat(phoneIn.pinState("mueller", NOW).lockedUntil()).isEqualTo(NOW.plus(PinLockout.LOCK));
        awaitAlert();
        JsonObject alert = alerts.get(0);
        assertThat(alert.getString("type")).isEqualTo("phonein-locked");
        assertThat(alert.getString("client")).isEqualTo("mueller");
        assertThat(alert.getInteger("failures")).isEqualTo(5);
        assertThat(alert.getString("until")).isEqualTo(NOW.plus(PinLockout.LOCK).toString());
        // even the right PIN is refused now, and nothing changes
        PhoneCall third = new PhoneCall(REACH);
        assertThat(third.hungUp()).isTrue();
        assertThat(third.said()).contains("gesperrt");
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void messagesAreHeardOneByOneAndMarkedRead() throws Exception {
        long rec = store.messages().add(Message.received(NOW.minus(Duration.ofHours(2)), "mueller", LINE, "+49309876543",
                "Labor Schmidt", MessageKind.RECORDING, null,
                "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/RE1", true, "CA1"));
        long typed = store.messages().add(Message.received(NOW.minus(Duration.ofHours(1)), "mueller", LINE,
                "+49305550000", null, MessageKind.TYPED, "Bitte Herrn Meier zurückrufen", null, false, null));
        PhoneCall call = new PhoneCall(REACH);
        call.keys("4711");
        assertThat(call.said()).contains("Sie haben 2 neue Nachrichten.");
        call.keys("7");
        assertThat(call.said()).contains("Nachricht 1 dringend. von 4 9 3 0 9 8 7 6 5 4 3.");
        assertThat(one(call.last, "/Response/Gather/Play").getTextContent()).endsWith("/Recordings/RE1");
        assertThat(store.messages().get(rec).orElseThrow().state()).isEqualTo(MessageState.NEW);
        call.keys("2");
        assertThat(call.said()).contains("Notiz Ihres Sekretariats: Bitte Herrn Meier zurückrufen");
        Message heard = store.messages().get(rec).orElseThrow();
        assertThat(heard.state()).isEqualTo(MessageState.READ);
        assertThat(heard.stateChangedBy()).isEqualTo("phone-in");
        call.keys("2");
        assertThat(call.said()).contains("Keine weiteren Nachrichten.");
        assertThat(store.messages().get(typed).orElseThrow().state()).isEqualTo(MessageState.READ);
    }

    // ---- bad input and protocol --------------------------------------------------------------------------

    @Test
    void timeoutsAreNamedAndEndTheCallAfterThreeRetriesWithoutAChange() throws Exception {
        PhoneCall call = new PhoneCall(REACH);
        call.keys("4711");
        for (int i = 0; i < 3; i++) {
            call.timeout();
            assertThat(call.said()).contains("Ich habe keine Eingabe erhalten.").contains("Für Ihren Status");
        }
        call.timeout();
        assertThat(call.hungUp()).isTrue();
        assertThat(call.said()).contains("Zu viele ungültige Eingaben");
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void tooManyDigitsAndStarAndHashInOddPlacesChangeNothing() throws Exception {
        PhoneCall call = new PhoneCall(REACH);
        call.keys("4711");
        call.keys("3");
        call.keys("100");
        assertThat(call.said()).contains("zu viele Ziffern").contains("Für wie viele Stunden?");
        call.keys("2*");
        assertThat(call.said()).contains("Abgebrochen");
        call.keys("4");
        call.keys("14#30"); // Twilio stops at '#': we never see this, but a forged or odd Digits must not pass
        assertThat(call.said()).contains("nicht gültig");
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void englishClientHearsEnglish() throws Exception {
        PhoneCall call = new PhoneCall("+447700900123");
        assertThat(one(call.last, "/Response/Gather/Say").getAttribute("language")).isEqualTo("en-GB");
        call.keys("123456");
        assertThat(call.said()).contains("Your status is: not available");
    }

    @Test
    void replayedStepIsAnsweredWithTheQuestionAndChangesNothingTwice() throws Exception {
        PhoneCall call = new PhoneCall(REACH);
        call.keys("4711");
        String menuAction = call.gather().getAttribute("action");
        call.keys("2");
        assertThat(store.overrides().all()).hasSize(1);
        // Twilio retries the same request
        Document again = twiml(post(menuAction.substring(PUBLIC.length()), call.form("2")));
        assertThat(text(again)).contains("Für Ihren Status");
        assertThat(store.overrides().all()).hasSize(1);
    }

    @Test
    void unsignedOrForgedRequestsAreRefusedAndChangeNothing() throws Exception {
        PhoneCall call = new PhoneCall(REACH);
        call.keys("4711");
        String action = call.gather().getAttribute("action").substring(PUBLIC.length());
        assertThat(send(action, call.form("2"), null).statusCode()).isEqualTo(403);
        assertThat(send(action, call.form("2"), node.signer.sign(PUBLIC + action, call.form("5"))).statusCode()).isEqualTo(403);
        assertThat(send("/twilio/phonein", call.form(null), "bogus").statusCode()).isEqualTo(403);
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void inputForAnUnknownCallSaysSorry() throws Exception {
        Map<String, String> f = new PhoneCall(REACH).form("1");
        f.put("CallSid", "CAunknown");
        Document d = twiml(post("/twilio/phonein/input?seq=1", f));
        assertThat(text(d)).contains("Sorry");
        assertThat(all(d, "/Response/Hangup")).hasSize(1);
    }

    // ---- HTTP and XML ------------------------------------------------------------------------------------

    private void awaitAlert() {
        Awaitility.await("the lockout alert").atMost(Duration.ofSeconds(5)).until(() -> !alerts.isEmpty());
        assertThat(alerts).hasSize(1);
    }

    private HttpResponse<String> post(String pathAndQuery, Map<String, String> form) throws Exception {
        return node.post(pathAndQuery, form);
    }

    private HttpResponse<String> send(String pathAndQuery, Map<String, String> form, String signature) throws Exception {
        return node.send(pathAndQuery, form, signature);
    }

    /** Everything said, in order, as one string. */
    private static String text(Document d) throws Exception {
        return all(d, "//Say").stream().map(Element::getTextContent).collect(Collectors.joining(" "));
    }
}
