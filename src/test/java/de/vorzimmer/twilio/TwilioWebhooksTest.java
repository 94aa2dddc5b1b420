package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.Status;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The webhooks end to end: a real HTTP server on a free port, a real SQLite file, requests posted exactly as
 * Twilio posts them (form fields, {@code X-Twilio-Signature} computed independently by {@link TwilioSigner}),
 * the TwiML parsed as XML and the stored messages and overrides checked.
 */
class TwilioWebhooksTest {
    private static final String TOKEN = "12345678901234567890123456789012";
    private static final String ACCOUNT = "AC00000000000000000000000000000001";
    /** Where Twilio reaches us: deliberately not the local address, as behind a proxy. */
    private static final String PUBLIC = "https://vz.example.com/hooks";
    /** Monday 30 November 2026, 09:00 in Berlin: Dr. Müller's hours (mon-fri 08:30-12:00). */
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final String LINE = "+49301234567";
    private static final String LAB = "+49309876543";
    private static final String REACH = "+491701111111";

    private static final String BOOK = """
            version: 1
            defaults: { region: DE, timezone: Europe/Berlin, language: de, ring-seconds: { put-through: 20, screen: 25 } }
            secretaries:
              - { id: anna, name: Anna, endpoint: "client:anna", languages: [de, en] }
              - { id: ben, name: Ben, endpoint: "sip:ben@vz.sip.twilio.com", languages: [de] }
              - { id: carla, name: Carla, endpoint: PJSIP/carla, languages: [de] }
            clients:
              - id: mueller
                name: Zahnarztpraxis Dr. Müller
                short: Müller
                greeting: "Zahnarztpraxis Dr. Müller, guten Tag."
                lines: ["030 1234567"]
                reach: "+49 170 1111111"
                language: de
                hours: [ { days: mon-fri, from: "08:30", to: "12:00" } ]
                contacts:
                  - { name: Labor Schmidt, numbers: ["030 9876543"], class: vip }
                  - { name: Werbung, numbers: ["+49 900*"], class: blocked }
                rules:
                  - { if: { caller: anonymous }, then: message, urgent: true }
              - id: smith
                name: Jane Smith Translations
                short: Smith
                greeting: "Jane Smith Translations, good morning."
                lines: ["020 7946 0123"]
                reach: "07700 900123"
                sms: "07700 900456"
                region: GB
                timezone: Europe/London
                language: en
                hours: [ { days: mon-fri, from: "10:00", to: "16:00" } ]
            """;

    @TempDir
    Path dir;
    Store store;
    LiveRouting routing;
    Vertx vertx;
    HttpServer server;
    HttpClient http;
    TwilioCallStore calls;
    TwilioSigner signer = new TwilioSigner(TOKEN);
    int sidCounter;

    @BeforeEach
    void start() throws Exception {
        store = Store.open(dir.resolve("vz.db"), Durability.FULL, new PinHasher());
        Book book = BookLoader.load(BOOK, new PinHasher());
        store.books().save(book, "test", NOW);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        routing = new LiveRouting(store.snapshots().at(NOW), clock);
        StoreWatcher watcher = new StoreWatcher(store, routing, store.books().currentVersion().orElseThrow().id());
        calls = new TwilioCallStore(store.database());
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new TwilioWebhooks(vertx, new TwilioSettings(PUBLIC, TOKEN, ACCOUNT), routing, DecisionLog.NONE, calls,
                MessageSink.into(store.messages(), clock), store.overrides(), watcher::refresh).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        calls.close();
        store.close();
    }

    // ---- calls -------------------------------------------------------------------------------------------

    @Test
    void vipIsPutThroughWithAWhisperAndTheClientTakesTheCall() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, LAB, LINE)));
        Element dial = one(voice, "/Response/Dial");
        assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/dial-result?stage=put-through&display="
                + enc("Müller: Labor Schmidt"));
        assertThat(dial.getAttribute("timeout")).isEqualTo("20");
        Element number = one(voice, "/Response/Dial/Number");
        assertThat(number.getTextContent()).isEqualTo(REACH);
        assertThat(number.getAttribute("url")).startsWith(PUBLIC + "/twilio/whisper?call=" + sid);
        assertThat(calls.find(sid)).get().extracting(CallRecord::action).isEqualTo(Action.PUT_THROUGH);

        // the client's leg: the whisper asks for a 1, else hangs up
        String childSid = newSid();
        Document whisper = twiml(postUrl(number.getAttribute("url"), leg(childSid, sid)));
        Element gather = one(whisper, "/Response/Gather");
        assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
        Element say = one(whisper, "/Response/Gather/Say");
        assertThat(say.getAttribute("language")).isEqualTo("de-DE");
        assertThat(say.getTextContent()).contains("Müller: Labor Schmidt").contains("1");
        assertThat(all(whisper, "/Response/Hangup")).hasSize(1);

        Map<String, String> pressed = leg(childSid, sid);
        pressed.put("Digits", "1");
        Document accepted = twiml(postUrl(gather.getAttribute("action"), pressed));
        assertThat(accepted.getDocumentElement().getChildNodes().getLength()).isZero();

        Document after = twiml(postUrl(dial.getAttribute("action"), dialResult(sid, "completed")));
        assertThat(all(after, "/Response/Hangup")).hasSize(1);
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).isEmpty();
        assertThat(calls.find(sid)).get().extracting(CallRecord::outcome).isEqualTo(CallRecord.Outcome.ANSWERED);
    }

    @Test
    void putThroughNotAnsweredRingsTheTwilioSecretariesThenRecordsAMessage() throws Exception {
        String sid = newSid();
        Element dial = one(twiml(post("/twilio/voice", incoming(sid, LAB, LINE))), "/Response/Dial");

        Document screen = twiml(postUrl(dial.getAttribute("action"), dialResult(sid, "no-answer")));
        Element secretaries = one(screen, "/Response/Dial");
        assertThat(secretaries.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/dial-result?stage=screen");
        assertThat(secretaries.getAttribute("timeout")).isEqualTo("25");
        assertThat(one(screen, "/Response/Dial/Client/Identity").getTextContent()).isEqualTo("anna");
        assertThat(one(screen, "/Response/Dial/Client/Parameter").getAttribute("value"))
                .isEqualTo("Müller: Labor Schmidt");
        assertThat(one(screen, "/Response/Dial/Sip").getTextContent()).isEqualTo("sip:ben@vz.sip.twilio.com");
        assertThat(text(screen)).doesNotContain("PJSIP");

        Document record = twiml(postUrl(secretaries.getAttribute("action"), dialResult(sid, "no-answer")));
        Element say = one(record, "/Response/Say[1]");
        assertThat(say.getAttribute("language")).isEqualTo("de-DE");
        assertThat(say.getTextContent()).startsWith("Zahnarztpraxis Dr. Müller, guten Tag.");
        Element rec = one(record, "/Response/Record");
        assertThat(rec.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/recording");

        Document thanks = twiml(postUrl(rec.getAttribute("action"), recording(sid, "12")));
        assertThat(all(thanks, "/Response/Hangup")).hasSize(1);
        post("/twilio/status", status(sid, "completed"));

        List<Message> stored = messages();
        assertThat(stored).hasSize(1);
        Message m = stored.get(0);
        assertThat(m.kind()).isEqualTo(MessageKind.RECORDING);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.line()).isEqualTo(LINE);
        assertThat(m.callerNumber()).isEqualTo(LAB);
        assertThat(m.callerName()).isEqualTo("Labor Schmidt");
        assertThat(m.recordingPath()).isEqualTo(recordingUrl(sid));
        assertThat(m.callId()).isEqualTo(sid);
        assertThat(m.urgent()).isFalse();
    }

    @Test
    void aDeclinedWhisperFallsBackEvenThoughTheClientsPhoneAnswered() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, LAB, LINE)));
        Element number = one(voice, "/Response/Dial/Number");
        String child = newSid();
        Element gather = one(twiml(postUrl(number.getAttribute("url"), leg(child, sid))), "/Response/Gather");
        Map<String, String> pressed = leg(child, sid);
        pressed.put("Digits", "2");
        assertThat(all(twiml(postUrl(gather.getAttribute("action"), pressed)), "/Response/Hangup")).hasSize(1);

        // the mailbox or the client picked up, so Twilio may well report "completed": still not taken
        Document next = twiml(postUrl(one(voice, "/Response/Dial").getAttribute("action"), dialResult(sid, "completed")));
        assertThat(one(next, "/Response/Dial/Client/Identity").getTextContent()).isEqualTo("anna");
    }

    @Test
    void anonymousCallerIsRecordedAsAnUrgentMessage() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+266696687", LINE)));
        assertThat(all(voice, "/Response/Dial")).isEmpty();
        Element rec = one(voice, "/Response/Record");
        twiml(postUrl(rec.getAttribute("action"), recording(sid, "30")));

        Message m = messages().get(0);
        assertThat(m.urgent()).isTrue();
        assertThat(m.callerNumber()).isEmpty();
        assertThat(m.kind()).isEqualTo(MessageKind.RECORDING);
    }

    @Test
    void unknownCallerIsScreenedAndHangingUpEarlyLeavesOneMissedCall() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        Element dial = one(voice, "/Response/Dial");
        assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/dial-result?stage=screen");
        assertThat(all(voice, "/Response/Dial/Client")).hasSize(1);
        assertThat(all(voice, "/Response/Dial/Sip")).hasSize(1);

        post("/twilio/status", status(sid, "completed"));
        post("/twilio/status", status(sid, "completed")); // Twilio retries; still one message
        List<Message> stored = messages();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).kind()).isEqualTo(MessageKind.MISSED);
        assertThat(stored.get(0).callerNumber()).isEqualTo("+49301112222");
        assertThat(stored.get(0).clientId()).isEqualTo("mueller");
        assertThat(calls.find(sid)).get().extracting(CallRecord::outcome).isEqualTo(CallRecord.Outcome.MISSED);
    }

    @Test
    void aSecretaryAnsweringMeansNoMissedCall() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        String answeredUrl = one(voice, "/Response/Dial/Client").getAttribute("statusCallback");
        assertThat(answeredUrl).isEqualTo(PUBLIC + "/twilio/status?leg=secretary&call=" + sid);
        Map<String, String> leg = leg(newSid(), sid);
        leg.put("CallStatus", "in-progress");
        postUrl(answeredUrl, leg);
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).isEmpty();
    }

    @Test
    void blockedCallerIsRejectedAndLeavesNothing() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+4990012345", LINE)));
        assertThat(one(voice, "/Response/Reject").getAttribute("reason")).isEqualTo("rejected");
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).isEmpty();
    }

    @Test
    void theForwardedFromNumberIdentifiesTheClient() throws Exception {
        String sid = newSid();
        Map<String, String> form = incoming(sid, LAB, "+4989000111");
        form.put("ForwardedFrom", LINE);
        Document voice = twiml(post("/twilio/voice", form));
        assertThat(one(voice, "/Response/Dial/Number").getTextContent()).isEqualTo(REACH);
        assertThat(calls.find(sid)).get().extracting(CallRecord::clientId).isEqualTo("mueller");
    }

    @Test
    void anEnglishClientsCallerHearsEnglish() throws Exception {
        String sid = newSid();
        // Monday 08:00 in London: outside Jane Smith's hours, an unknown caller is screened; nobody answers
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+442079460999", "+442079460123")));
        Element dial = one(voice, "/Response/Dial");
        Document record = twiml(postUrl(dial.getAttribute("action"), dialResult(sid, "busy")));
        Element say = one(record, "/Response/Say[1]");
        assertThat(say.getAttribute("language")).isEqualTo("en-GB");
        assertThat(say.getTextContent()).startsWith("Jane Smith Translations, good morning.").contains("leave a message");
    }

    @Test
    void aRecordingWithoutACallIsStoredFromItsOwnParameters() throws Exception {
        // the fallback TwiML took the call while the server was down; its recording arrives later
        String sid = newSid();
        Map<String, String> form = recording(sid, "20");
        form.put("From", LAB);
        form.put("To", LINE);
        twiml(post("/twilio/recording", form));
        Message m = messages().get(0);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.callerNumber()).isEqualTo(LAB);
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).hasSize(1);
    }

    // ---- refused requests --------------------------------------------------------------------------------

    @Test
    void forgedUnsignedAndMisdirectedRequestsAreRefusedAndChangeNothing() throws Exception {
        String sid = newSid();
        Map<String, String> form = incoming(sid, LAB, LINE);
        String url = PUBLIC + "/twilio/voice";

        assertThat(send("/twilio/voice", form, null).statusCode()).isEqualTo(403);
        assertThat(send("/twilio/voice", form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=").statusCode()).isEqualTo(403);
        assertThat(send("/twilio/voice", form, new TwilioSigner("another-token").sign(url, form)).statusCode())
                .isEqualTo(403);
        // a field changed after signing
        Map<String, String> tampered = new LinkedHashMap<>(form);
        tampered.put("From", "+4990012345");
        assertThat(send("/twilio/voice", tampered, signer.sign(url, form)).statusCode()).isEqualTo(403);
        // a genuine signature replayed to another URL, or one made for the local address instead of the public one
        Map<String, String> rec = recording(sid, "9");
        assertThat(send("/twilio/recording", rec, signer.sign(url, rec)).statusCode()).isEqualTo(403);
        String local = "http://127.0.0.1:" + server.actualPort() + "/twilio/voice";
        assertThat(send("/twilio/voice", form, signer.sign(local, form)).statusCode()).isEqualTo(403);
        // signed, but for another account
        Map<String, String> other = new LinkedHashMap<>(form);
        other.put("AccountSid", "AC99999999999999999999999999999999");
        assertThat(send("/twilio/voice", other, signer.sign(url, other)).statusCode()).isEqualTo(403);
        Map<String, String> sms = sms(REACH, "DND");
        assertThat(send("/twilio/sms", sms, signer.sign(PUBLIC + "/twilio/sms?x=1", sms)).statusCode()).isEqualTo(403);

        assertThat(calls.find(sid)).isEmpty();
        assertThat(messages()).isEmpty();
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void missingParametersAreRefusedWith400() throws Exception {
        Map<String, String> noTo = incoming(newSid(), LAB, LINE);
        noTo.remove("To");
        HttpResponse<String> r = post("/twilio/voice", noTo);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("To");

        Map<String, String> noSid = incoming("x", LAB, LINE);
        noSid.remove("CallSid");
        assertThat(post("/twilio/voice", noSid).statusCode()).isEqualTo(400);
        Map<String, String> noUrl = recording(newSid(), "5");
        noUrl.remove("RecordingUrl");
        assertThat(post("/twilio/recording", noUrl).statusCode()).isEqualTo(400);
        Map<String, String> noBody = sms(REACH, "DND");
        noBody.remove("Body");
        assertThat(post("/twilio/sms", noBody).statusCode()).isEqualTo(400);

        assertThat(messages()).isEmpty();
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void oversizedBodiesAreRefusedWith413() throws Exception {
        Map<String, String> form = sms(REACH, "DND " + "x".repeat(70_000));
        assertThat(post("/twilio/sms", form).statusCode()).isEqualTo(413);
        assertThat(send("/twilio/sms", form, null).statusCode()).isEqualTo(413);
        assertThat(store.overrides().all()).isEmpty();
    }

    // ---- SMS ---------------------------------------------------------------------------------------------

    @Test
    void smsAwayUntilSetsTheStatusAndRoutingSeesItAtOnce() throws Exception {
        assertThat(routing.decide(Call.of(LINE, LAB)).action()).isEqualTo(Action.PUT_THROUGH);
        String reply = smsReply(post("/twilio/sms", sms(REACH, "WEG bis 15:00")));
        assertThat(reply).isEqualTo("Vorzimmer: Status jetzt abwesend bis 15:00.");
        Override o = store.overrides().all().get(0);
        assertThat(o.kind()).isEqualTo(OverrideKind.UNAVAILABLE);
        assertThat(o.until()).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
        assertThat(o.source()).isEqualTo("sms");
        assertThat(routing.decide(Call.of(LINE, LAB)).status()).isEqualTo(Status.UNAVAILABLE);

        assertThat(smsReply(post("/twilio/sms", sms(REACH, "DA")))).isEqualTo(
                "Vorzimmer: Status jetzt erreichbar, bis Sie etwas anderes schicken.");
        assertThat(routing.decide(Call.of(LINE, LAB)).status()).isEqualTo(Status.AVAILABLE);
        assertThat(smsReply(post("/twilio/sms", sms(REACH, "STATUS")))).isEqualTo("Vorzimmer: Status erreichbar.");
    }

    @Test
    void smsInEnglishRepliesInTheClientsTimezone() throws Exception {
        String reply = smsReply(post("/twilio/sms", sms("+447700900456", "DND until tomorrow 8am")));
        assertThat(reply).isEqualTo("Vorzimmer: status now do not disturb until tomorrow 08:00.");
        assertThat(store.overrides().all().get(0).until()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(smsReply(post("/twilio/sms", sms("+447700900456", "schedule"))))
                .isEqualTo("Vorzimmer: your hours apply again (now: away).");
    }

    @Test
    void smsExpectPutsTheCallerThrough() throws Exception {
        assertThat(routing.decide(Call.of(LINE, "+491512345678")).action()).isEqualTo(Action.SCREEN);
        String reply = smsReply(post("/twilio/sms", sms(REACH, "ERWARTE 0151 2345678 bis 18:00")));
        assertThat(reply).isEqualTo("Vorzimmer: Anrufe von +491512345678 werden durchgestellt bis 18:00.");
        assertThat(routing.decide(Call.of(LINE, "+491512345678")).action()).isEqualTo(Action.PUT_THROUGH);
        assertThat(smsReply(post("/twilio/sms", sms(REACH, "status")))).contains("Erwartet: +491512345678");
    }

    @Test
    void unknownSendersAndCommandsGetHelpAndChangeNothing() throws Exception {
        assertThat(smsReply(post("/twilio/sms", sms("+491609999999", "DND")))).contains("keinem Kunden zugeordnet")
                .contains("not registered");
        assertThat(smsReply(post("/twilio/sms", sms(REACH, "Urlaub")))).startsWith(
                "Vorzimmer: Unbekannter Befehl \"Urlaub\", nichts geändert. Befehle: WEG 2h");
        assertThat(smsReply(post("/twilio/sms", sms(REACH, "WEG bis 25:00")))).contains("25:00");
        assertThat(store.overrides().all()).isEmpty();
    }

    @Test
    void smsDeliveryReportsGoToTheEventBus() throws Exception {
        List<JsonObject> seen = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(TwilioWebhooks.SMS_STATUS_ADDRESS, m -> seen.add(m.body()));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", ACCOUNT);
        form.put("MessageSid", "SM0123");
        form.put("MessageStatus", "delivered");
        form.put("To", REACH);
        assertThat(post("/twilio/sms-status", form).statusCode()).isEqualTo(200);
        for (int i = 0; i < 50 && seen.isEmpty(); i++) Thread.sleep(20);
        assertThat(seen).singleElement().satisfies(j -> assertThat(j.getString("status")).isEqualTo("delivered"));
    }

    // ---- fallback ----------------------------------------------------------------------------------------

    @Test
    void theFallbackIsStaticTwimlThatApologisesAndRecords() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(local("/twilio/fallback")))
                .header("X-Twilio-Signature", signer.sign(PUBLIC + "/twilio/fallback", Map.of())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        Document doc = twiml(get);
        assertThat(one(doc, "/Response/Say[1]").getTextContent()).contains("Leider");
        assertThat(one(doc, "/Response/Record").getAttribute("action")).isEqualTo("recording");
        HttpResponse<String> post = post("/twilio/fallback", incoming(newSid(), LAB, LINE));
        assertThat(post.body()).isEqualTo(TwilioWebhooks.fallbackTwiml());
        assertThat(send("/twilio/fallback", Map.of(), null).statusCode()).isEqualTo(403);
    }

    // ---- Twilio's requests -------------------------------------------------------------------------------

    private String newSid() {
        return String.format("CA%032x", ++sidCounter);
    }

    private static Map<String, String> base(String sid) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AccountSid", ACCOUNT);
        f.put("ApiVersion", "2010-04-01");
        f.put("CallSid", sid);
        return f;
    }

    /** What Twilio posts to the voice URL for an incoming call. */
    private static Map<String, String> incoming(String sid, String from, String to) {
        Map<String, String> f = base(sid);
        f.put("CallStatus", "ringing");
        f.put("Direction", "inbound");
        f.put("From", from);
        f.put("Caller", from);
        f.put("To", to);
        f.put("Called", to);
        f.put("FromCountry", "DE");
        f.put("ToCountry", "DE");
        f.put("CallToken", "%7B%22parentCallInfoToken%22%3A%22x%22%7D");
        f.put("StirVerstat", "TN-Validation-Passed-C");
        return f;
    }

    private static Map<String, String> leg(String childSid, String parentSid) {
        Map<String, String> f = base(childSid);
        f.put("ParentCallSid", parentSid);
        f.put("CallStatus", "in-progress");
        f.put("Direction", "outbound-dial");
        f.put("From", LAB);
        f.put("To", REACH);
        return f;
    }

    private static Map<String, String> dialResult(String sid, String dialStatus) {
        Map<String, String> f = incoming(sid, LAB, LINE);
        f.put("CallStatus", "in-progress");
        f.put("DialCallStatus", dialStatus);
        f.put("DialCallSid", "CAffff" + sid.substring(6));
        f.put("DialCallDuration", "completed".equals(dialStatus) ? "42" : "0");
        return f;
    }

    private static String recordingUrl(String sid) {
        return "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/RE" + sid.substring(2);
    }

    private static Map<String, String> recording(String sid, String seconds) {
        Map<String, String> f = base(sid);
        f.put("RecordingUrl", recordingUrl(sid));
        f.put("RecordingSid", "RE" + sid.substring(2));
        f.put("RecordingDuration", seconds);
        f.put("Digits", "hangup");
        return f;
    }

    private static Map<String, String> status(String sid, String callStatus) {
        Map<String, String> f = incoming(sid, "+49301112222", LINE);
        f.put("CallStatus", callStatus);
        f.put("CallDuration", "7");
        f.put("Timestamp", "Mon, 30 Nov 2026 08:00:07 +0000");
        f.put("SequenceNumber", "0");
        return f;
    }

    private static Map<String, String> sms(String from, String body) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AccountSid", ACCOUNT);
        f.put("ApiVersion", "2010-04-01");
        f.put("MessageSid", "SM" + Integer.toHexString(body.hashCode()));
        f.put("SmsSid", f.get("MessageSid"));
        f.put("SmsMessageSid", f.get("MessageSid"));
        f.put("SmsStatus", "received");
        f.put("From", from);
        f.put("To", "+493012345999");
        f.put("Body", body);
        f.put("NumMedia", "0");
        f.put("NumSegments", "1");
        f.put("FromCountry", from.startsWith("+44") ? "GB" : "DE");
        return f;
    }

    // ---- HTTP and XML ------------------------------------------------------------------------------------

    private String local(String pathAndQuery) {
        return "http://127.0.0.1:" + server.actualPort() + pathAndQuery;
    }

    /** Signs as Twilio would for the public URL and posts to the local server. */
    private HttpResponse<String> post(String pathAndQuery, Map<String, String> form) throws Exception {
        return send(pathAndQuery, form, signer.sign(PUBLIC + pathAndQuery, form));
    }

    /** Posts to an absolute URL we handed Twilio in TwiML. */
    private HttpResponse<String> postUrl(String publicUrl, Map<String, String> form) throws Exception {
        assertThat(publicUrl).startsWith(PUBLIC);
        return post(publicUrl.substring(PUBLIC.length()), form);
    }

    private HttpResponse<String> send(String pathAndQuery, Map<String, String> form, String signature) throws Exception {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(local(pathAndQuery)))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) b.header("X-Twilio-Signature", signature);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Document twiml(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).get().asString().contains("xml");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("Response");
        return d;
    }

    private static String smsReply(HttpResponse<String> r) throws Exception {
        Document d = twiml(r);
        return one(d, "/Response/Message/Body").getTextContent();
    }

    private static Element one(Document d, String xpath) throws Exception {
        List<Element> found = all(d, xpath);
        assertThat(found).as(xpath + " in " + text(d)).hasSize(1);
        return found.get(0);
    }

    private static List<Element> all(Document d, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    private static String text(Document d) throws Exception {
        var t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
        var w = new java.io.StringWriter();
        t.transform(new javax.xml.transform.dom.DOMSource(d), new javax.xml.transform.stream.StreamResult(w));
        return w.toString();
    }

    private List<Message> messages() {
        return store.messages().list(MessageFilter.all());
    }
}
