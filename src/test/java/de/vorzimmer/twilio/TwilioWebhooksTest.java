package de.vorzimmer.twilio;

import static de.vorzimmer.twilio.TwilioHttp.all;
import static de.vorzimmer.twilio.TwilioHttp.enc;
import static de.vorzimmer.twilio.TwilioHttp.one;
import static de.vorzimmer.twilio.TwilioHttp.twiml;
import static de.vorzimmer.twilio.TwilioHttp.xml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The webhooks end to end: a real HTTP server on a free port, a real SQLite file, requests posted exactly as
 * Twilio posts them (form fields, {@code X-Twilio-Signature} computed independently by {@link TwilioSigner}),
 * the TwiML parsed as XML and the stored messages and overrides checked.
 */
class TwilioWebhooksTest {
    static final String TOKEN = "12345678901234567890123456789012";
    static final String ACCOUNT = "AC00000000000000000000000000000001";
    /** Where Twilio reaches us: deliberately not the local address, as behind a proxy. */
    static final String PUBLIC = "https://vz.example.com/hooks";
    /** Monday 30 November 2026, 09:00 in Berlin: Dr. Müller's hours (mon-fri 08:30-12:00). */
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    static final String LINE = "+49301234567";
    static final String LAB = "+49309876543";
    static final String REACH = "+491701111111";

    static final String BOOK = """
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
            """ + TestClients.JANE_SMITH + """
                short: Smith
                greeting: "Jane Smith Translations, good morning."
                sms: "07700 900456"
                hours: [ { days: mon-fri, from: "10:00", to: "16:00" } ]
            """;

    @TempDir
    Path dir;
    TwilioNode node;
    Stores store;
    LiveRouting routing;
    TwilioCallStore calls;
    int sidCounter;
    /** What the webhooks published on the event bus as live call state, in order. */
    final List<JsonObject> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = new TwilioNode(dir, BOOK, new PinHasher(), NOW, new TwilioSettings(PUBLIC, TOKEN, ACCOUNT));
        store = node.store;
        routing = node.routing;
        calls = node.calls;
        node.vertx.eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> published.add(m.body())).completion()
                .await(10, TimeUnit.SECONDS);
        node.listen();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
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

        assertEndsAsTaken(dial.getAttribute("action"), sid);
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
        assertThat(xml(screen)).doesNotContain("PJSIP");

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

    /**
     * Several nodes behind one public URL: each webhook of one call lands on another node (its own database handle,
     * routing and event bus, as a second process would have), and Twilio retries land anywhere. The call goes its
     * way from the stored row; one message; each live state published once across both nodes.
     */
    @Test
    void consecutiveWebhooksOfOneCallLandOnDifferentNodes() throws Exception {
        try (Database handleB = Database.open(dir.resolve("vz.db"));
             TwilioCallStore callsB = new TwilioCallStore(handleB)) {
            Stores storeB = Stores.on(handleB);
            LiveRouting routingB = new LiveRouting(storeB.snapshots().at(NOW), Clock.fixed(NOW, ZoneOffset.UTC));
            Vertx vertxB = Vertx.vertx();
            List<JsonObject> publishedB = new CopyOnWriteArrayList<>();
            try {
                vertxB.eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> publishedB.add(m.body())).completion()
                        .await(10, TimeUnit.SECONDS);
                HttpServer serverB = TwilioHttp.serve(vertxB, TwilioHttp.webhooks(vertxB,
                        new TwilioSettings(PUBLIC, TOKEN, ACCOUNT), storeB, routingB, callsB, Clock.fixed(NOW, ZoneOffset.UTC),
                        () -> { }));
                String nodeB = "http://127.0.0.1:" + serverB.actualPort();

                String sid = newSid();
                Element dial = one(twiml(post("/twilio/voice", incoming(sid, LAB, LINE))), "/Response/Dial"); // node A
                String dialResult = dial.getAttribute("action").substring(PUBLIC.length());
                Map<String, String> noAnswer = dialResult(sid, "no-answer");
                Document screen = twiml(TwilioHttp.send(node.http, nodeB, dialResult, noAnswer,
                        node.signer.sign(PUBLIC + dialResult, noAnswer)));                                          // node B
                Element secretaries = one(screen, "/Response/Dial");
                assertThat(one(screen, "/Response/Dial/Client/Identity").getTextContent()).isEqualTo("anna");
                String screenResult = secretaries.getAttribute("action").substring(PUBLIC.length());
                Document record = twiml(post(screenResult, dialResult(sid, "no-answer")));                     // node A
                Element rec = one(record, "/Response/Record");
                Map<String, String> recorded = recording(sid, "12");
                String recPath = rec.getAttribute("action").substring(PUBLIC.length());
                twiml(TwilioHttp.send(node.http, nodeB, recPath, recorded, node.signer.sign(PUBLIC + recPath, recorded)));  // node B
                twiml(post(recPath, recorded));                                                   // Twilio's retry on A
                Map<String, String> completed = status(sid, "completed");
                TwilioHttp.send(node.http, nodeB, "/twilio/status", completed, node.signer.sign(PUBLIC + "/twilio/status", completed));
                post("/twilio/status", completed);

                List<Message> stored = messages();
                assertThat(stored).hasSize(1);
                assertThat(stored.get(0).kind()).isEqualTo(MessageKind.RECORDING);
                assertThat(stored.get(0).callId()).isEqualTo(sid);
                assertThat(calls.find(sid)).get().extracting(CallRecord::outcome).isEqualTo(CallRecord.Outcome.RECORDED);
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> published.size() + publishedB.size() >= 4);
                List<String> states = new java.util.ArrayList<>();
                for (JsonObject o : published) states.add("A " + o.getString("state") + " " + o.getString("stage"));
                for (JsonObject o : publishedB) states.add("B " + o.getString("state") + " " + o.getString("stage"));
                assertThat(states).containsExactlyInAnyOrder("A ringing put-through", "B ringing screen",
                        "A message message", "B ended message");
            } finally {
                vertxB.close().await(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aDeclinedWhisperFallsBackEvenThoughTheClientsPhoneAnswered() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, LAB, LINE)));
        Element number = one(voice, "/Response/Dial/Number");
        assertThat(all(clientPresses(number.getAttribute("url"), sid, "2"), "/Response/Hangup")).hasSize(1);

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

    // ---- choices in the console (TwilioCallControl redirects the call here) --------------------------------

    @Test
    void aPutThroughChosenInTheConsoleRingsTheClientWithTheWhisperAndFallsBackToAMessage() throws Exception {
        String sid = newSid();
        one(twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE))), "/Response/Dial/Client"); // screened

        Document put = twiml(post("/twilio/choice?choice=put-through", redirected(sid)));
        Element dial = one(put, "/Response/Dial");
        assertThat(dial.getAttribute("timeout")).isEqualTo("20");
        assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/dial-result?stage=put-through&then=message");
        Element number = one(put, "/Response/Dial/Number");
        assertThat(number.getTextContent()).isEqualTo(REACH);
        assertThat(number.getAttribute("url")).startsWith(PUBLIC + "/twilio/whisper?call=" + sid + "&")
                .endsWith("&display=" + enc("Müller: +49301112222"));

        // the client hears who is calling, in the client's language, and must press 1
        Element say = one(twiml(postUrl(number.getAttribute("url"), leg(newSid(), sid))), "/Response/Gather/Say");
        assertThat(say.getAttribute("language")).isEqualTo("de-DE");
        assertThat(say.getTextContent()).contains("Müller: +49301112222");

        // not taken: the caller leaves a message; the secretaries are not rung again
        Document record = twiml(postUrl(dial.getAttribute("action"), dialResult(sid, "no-answer")));
        assertThat(all(record, "/Response/Dial")).isEmpty();
        assertThat(one(record, "/Response/Say[1]").getTextContent()).startsWith("Zahnarztpraxis Dr. Müller, guten Tag.");
        Element rec = one(record, "/Response/Record");
        twiml(postUrl(rec.getAttribute("action"), recording(sid, "14")));
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MessageKind.RECORDING);
            assertThat(m.clientId()).isEqualTo("mueller");
            assertThat(m.callId()).isEqualTo(sid);
        });
    }

    @Test
    void aPutThroughChosenInTheConsoleThatTheClientTakesLeavesNoMessage() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        Document put = twiml(post("/twilio/choice?choice=put-through", redirected(sid)));

        clientPresses(one(put, "/Response/Dial/Number").getAttribute("url"), sid, "1");
        assertEndsAsTaken(one(put, "/Response/Dial").getAttribute("action"), sid);
    }

    @Test
    void voicemailChosenInTheConsolePlaysTheGreetingAndRecords() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));

        Document voicemail = twiml(post("/twilio/choice?choice=voicemail", redirected(sid)));
        assertThat(all(voicemail, "/Response/Dial")).isEmpty();
        Element say = one(voicemail, "/Response/Say[1]");
        assertThat(say.getAttribute("language")).isEqualTo("de-DE");
        assertThat(say.getTextContent()).startsWith("Zahnarztpraxis Dr. Müller, guten Tag.");
        Element rec = one(voicemail, "/Response/Record");
        assertThat(rec.getAttribute("action")).isEqualTo(PUBLIC + "/twilio/recording");
        twiml(postUrl(rec.getAttribute("action"), recording(sid, "20")));

        assertThat(messages()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MessageKind.RECORDING);
            assertThat(m.callerNumber()).isEqualTo("+49301112222");
        });
    }

    @Test
    void aChosenPutThroughForACallWithoutClientReachRecordsAMessageInstead() throws Exception {
        String sid = newSid();
        Map<String, String> unknownLine = incoming(sid, "+49301112222", "+49301110000"); // no client has this line
        twiml(post("/twilio/voice", unknownLine));
        unknownLine.put("CallStatus", "in-progress");
        Document put = twiml(post("/twilio/choice?choice=put-through", unknownLine));
        assertThat(all(put, "/Response/Dial")).isEmpty();
        assertThat(one(put, "/Response/Record").getAttribute("action")).isEqualTo(PUBLIC + "/twilio/recording");
    }

    @Test
    void theChoiceRouteRefusesForgedUnsignedAndMisdirectedRequests() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        CallRecord before = calls.find(sid).orElseThrow();
        Map<String, String> form = redirected(sid);
        String path = "/twilio/choice?choice=put-through";

        List<HttpResponse<String>> refused = List.of(
                send(path, form, null),
                send(path, form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                send(path, form, new TwilioSigner("another-token").sign(PUBLIC + path, form)),
                // a voicemail redirect's genuine signature used for a put-through
                send(path, form, node.signer.sign(PUBLIC + "/twilio/choice?choice=voicemail", form)),
                send(path, Map.of("CallSid", sid), node.signer.sign(PUBLIC + path, form)));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).doesNotContain("<Response");
        }
        assertThat(calls.find(sid)).contains(before);
        assertThat(messages()).isEmpty();
    }

    @Test
    void theChoiceRouteNeedsAKnownChoiceAndTheCallSid() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        HttpResponse<String> transfer = post("/twilio/choice?choice=transfer", redirected(sid));
        assertThat(transfer.statusCode()).isEqualTo(400);
        assertThat(transfer.body()).contains("put-through or voicemail");
        assertThat(post("/twilio/choice", redirected(sid)).statusCode()).isEqualTo(400);
        Map<String, String> noSid = redirected(sid);
        noSid.remove("CallSid");
        assertThat(post("/twilio/choice?choice=voicemail", noSid).statusCode()).isEqualTo(400);
    }

    // ---- live call state for the console (vorzimmer.calls) -------------------------------------------------

    @Test
    void aPutThroughThatFallsBackToTheSecretariesPublishesEachStateOnceInOrder() throws Exception {
        String sid = newSid();
        Map<String, String> call = incoming(sid, LAB, LINE);
        Document voice = twiml(post("/twilio/voice", call));
        String putThroughResult = one(voice, "/Response/Dial").getAttribute("action");
        Document screen = twiml(postUrl(putThroughResult, dialResult(sid, "no-answer")));
        Map<String, String> annaAnswers = leg(newSid(), sid);
        annaAnswers.put("To", "client:anna");
        String answeredUrl = one(screen, "/Response/Dial/Client").getAttribute("statusCallback");
        postUrl(answeredUrl, annaAnswers);
        String screenResult = one(screen, "/Response/Dial").getAttribute("action");
        twiml(postUrl(screenResult, dialResult(sid, "completed")));
        post("/twilio/status", status(sid, "completed"));

        List<JsonObject> states = published(4);
        assertThat(states).extracting(j -> j.getString("state") + " " + j.getString("stage"))
                .containsExactly("ringing put-through", "ringing screen", "answered screen", "ended screen");
        JsonObject ringing = states.get(0);
        assertThat(ringing.fieldNames()).containsExactlyInAnyOrder("callId", "state", "client", "caller", "callerName",
                "line", "display", "targets", "answeredBy", "urgent", "stage", "at", "decision");
        assertThat(ringing.getString("callId")).isEqualTo(sid);
        // the decision made when the call came in travels with every state of it, not decided again
        assertThat(states).allSatisfy(s -> assertThat(s.getJsonObject("decision").getString("callerClass")).isEqualTo("vip"));
        assertThat(ringing.getJsonObject("decision").getString("contact")).isEqualTo("Labor Schmidt");
        assertThat(ringing.getJsonObject("decision").getLong("bookVersion")).isPositive();
        assertThat(ringing.getString("client")).isEqualTo("mueller");
        assertThat(ringing.getString("caller")).isEqualTo(LAB);
        assertThat(ringing.getString("line")).isEqualTo(LINE);
        assertThat(ringing.getString("display")).isEqualTo("Müller: Labor Schmidt");
        assertThat(ringing.getJsonArray("targets")).containsExactly(REACH);
        assertThat(ringing.getString("at")).isEqualTo(NOW.toString());
        assertThat(states.get(1).getJsonArray("targets")).containsExactly("client:anna", "sip:ben@vz.sip.twilio.com");
        assertThat(states.get(1).getString("display")).isEqualTo("Müller: Labor Schmidt");
        assertThat(states.get(2).getString("answeredBy")).isEqualTo("client:anna");
        assertThat(states.get(2).getJsonArray("targets")).containsExactly("client:anna", "sip:ben@vz.sip.twilio.com");
        assertThat(states).allSatisfy(j -> assertThat(j.getString("callId")).isEqualTo(sid));

        // Twilio retries every one of them: nothing is published again
        post("/twilio/voice", call);
        postUrl(putThroughResult, dialResult(sid, "no-answer"));
        postUrl(answeredUrl, annaAnswers);
        postUrl(screenResult, dialResult(sid, "completed"));
        post("/twilio/status", status(sid, "completed"));
        assertNothingPublishedAfter(states);
    }

    @Test
    void aClientWhoTakesThePutThroughIsAnsweredByTheReach() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, LAB, LINE)));
        Element number = one(voice, "/Response/Dial/Number");
        String child = newSid();
        Element gather = one(twiml(postUrl(number.getAttribute("url"), leg(child, sid))), "/Response/Gather");
        Map<String, String> pressed = leg(child, sid);
        pressed.put("Digits", "1");
        twiml(postUrl(gather.getAttribute("action"), pressed));
        String dialAction = one(voice, "/Response/Dial").getAttribute("action");
        twiml(postUrl(dialAction, dialResult(sid, "completed")));
        post("/twilio/status", status(sid, "completed"));

        List<JsonObject> states = published(3);
        assertThat(states).extracting(j -> j.getString("state")).containsExactly("ringing", "answered", "ended");
        assertThat(states.get(1).getString("answeredBy")).isEqualTo(REACH);
        assertThat(states.get(1).getString("stage")).isEqualTo("put-through");

        postUrl(gather.getAttribute("action"), pressed);
        postUrl(dialAction, dialResult(sid, "completed"));
        post("/twilio/status", status(sid, "completed"));
        assertNothingPublishedAfter(states);
    }

    @Test
    void aScreenedCallNobodyTakesIsAMessageThenEndsWithItsRecording() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        String dialAction = one(voice, "/Response/Dial").getAttribute("action");
        Element rec = one(twiml(postUrl(dialAction, dialResult(sid, "no-answer"))), "/Response/Record");
        twiml(postUrl(rec.getAttribute("action"), recording(sid, "12")));
        post("/twilio/status", status(sid, "completed"));

        List<JsonObject> states = published(3);
        assertThat(states).extracting(j -> j.getString("state") + " " + j.getString("stage"))
                .containsExactly("ringing screen", "message message", "ended message");
        assertThat(states.get(0).getJsonArray("targets")).containsExactly("client:anna", "sip:ben@vz.sip.twilio.com");
        assertThat(states.get(0).getString("display")).isEqualTo("Müller: +49301112222");
        assertThat(states.get(1).getJsonArray("targets")).isEmpty();
        assertThat(states.get(2).getString("recording")).isEqualTo(recordingUrl(sid));

        postUrl(dialAction, dialResult(sid, "no-answer"));
        postUrl(rec.getAttribute("action"), recording(sid, "12"));
        post("/twilio/status", status(sid, "completed"));
        assertNothingPublishedAfter(states);
        assertThat(messages()).hasSize(1);
    }

    @Test
    void aCallerWhoHangsUpWhileTheSecretariesRingIsMissedWithItsMessage() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        post("/twilio/status", status(sid, "canceled"));

        List<JsonObject> states = published(2);
        assertThat(states).extracting(j -> j.getString("state")).containsExactly("ringing", "missed");
        JsonObject missed = states.get(1);
        assertThat(missed.getLong("messageId")).isEqualTo(messages().get(0).id());
        assertThat(missed.getJsonArray("targets")).containsExactly("client:anna", "sip:ben@vz.sip.twilio.com");

        post("/twilio/status", status(sid, "canceled"));
        assertNothingPublishedAfter(states);
    }

    @Test
    void aRejectedCallIsOnlyPublishedAsEndedOnceTwilioReportsItsEnd() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+4990012345", LINE)));
        assertNothingPublishedAfter(List.of());
        published.clear();

        post("/twilio/status", status(sid, "busy"));
        post("/twilio/status", status(sid, "busy"));
        List<JsonObject> states = published(1);
        assertThat(states.get(0).getString("state")).isEqualTo("ended");
        assertThat(states.get(0).getString("stage")).isEqualTo("reject");
        assertThat(states.get(0).getString("callId")).isEqualTo(sid);
        assertNothingPublishedAfter(states);
    }

    @Test
    void aPutThroughChosenInTheConsoleRingsTheReachAsANewStage() throws Exception {
        String sid = newSid();
        twiml(post("/twilio/voice", incoming(sid, "+49301112222", LINE)));
        Document put = twiml(post("/twilio/choice?choice=put-through", redirected(sid)));
        twiml(postUrl(one(put, "/Response/Dial").getAttribute("action"), dialResult(sid, "no-answer")));

        List<JsonObject> states = published(3);
        assertThat(states).extracting(j -> j.getString("state") + " " + j.getString("stage"))
                .containsExactly("ringing screen", "ringing put-through", "message message");
        assertThat(states.get(1).getJsonArray("targets")).containsExactly(REACH);

        post("/twilio/choice?choice=put-through", redirected(sid));
        post("/twilio/choice?choice=voicemail", redirected(sid));
        assertNothingPublishedAfter(states);
    }

    @Test
    void forgedUnsignedAndMisdirectedWebhooksPublishNothing() throws Exception {
        String sid = newSid();
        Document voice = twiml(post("/twilio/voice", incoming(sid, LAB, LINE)));
        List<JsonObject> states = published(1);
        CallRecord before = calls.find(sid).orElseThrow();
        String dialAction = one(voice, "/Response/Dial").getAttribute("action").substring(PUBLIC.length());
        Map<String, String> pressed = leg(newSid(), sid);
        pressed.put("Digits", "1");
        Map<String, String> answered = leg(newSid(), sid);
        answered.put("To", "client:anna");
        String answeredPath = "/twilio/status?leg=secretary&call=" + sid;
        Map<String, String> another = incoming(newSid(), "+49301112222", LINE);

        List<HttpResponse<String>> refused = List.of(
                send("/twilio/voice", another, null),
                send("/twilio/voice", another, new TwilioSigner("another-token").sign(PUBLIC + "/twilio/voice", another)),
                send("/twilio/whisper?call=" + sid + "&step=answer", pressed, null),
                send(answeredPath, answered, node.signer.sign(PUBLIC + "/twilio/status", answered)),
                send(dialAction, dialResult(sid, "no-answer"), "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                send("/twilio/choice?choice=voicemail", redirected(sid), null),
                send("/twilio/recording", recording(sid, "9"), node.signer.sign(PUBLIC + "/twilio/voice", recording(sid, "9"))),
                send("/twilio/status", status(sid, "completed"), null));
        assertThat(refused).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(403));
        assertNothingPublishedAfter(states);
        assertThat(calls.find(sid)).contains(before);
    }

    /** The first {@code n} call states published, waiting up to 5 s for them. */
    private List<JsonObject> published(int n) {
        Awaitility.await(n + " call states published").atMost(Duration.ofSeconds(5)).until(() -> published.size() >= n);
        return List.copyOf(published.subList(0, n));
    }

    /**
     * Asserts that nothing was published after {@code earlier}: a genuine new call is made, and once its ringing
     * state arrives (after anything the requests before it published) it must be the only addition.
     */
    private void assertNothingPublishedAfter(List<JsonObject> earlier) throws Exception {
        String marker = newSid();
        twiml(post("/twilio/voice", incoming(marker, "+49301112222", LINE)));
        List<JsonObject> all = published(earlier.size() + 1);
        assertThat(published).hasSize(earlier.size() + 1);
        assertThat(all.subList(0, earlier.size())).isEqualTo(earlier);
        assertThat(all.get(earlier.size()).getString("callId")).isEqualTo(marker);
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
        assertThat(send("/twilio/voice", tampered, node.signer.sign(url, form)).statusCode()).isEqualTo(403);
        // a genuine signature replayed to another URL, or one made for the local address instead of the public one
        Map<String, String> rec = recording(sid, "9");
        assertThat(send("/twilio/recording", rec, node.signer.sign(url, rec)).statusCode()).isEqualTo(403);
        String local = node.local("/twilio/voice");
        assertThat(send("/twilio/voice", form, node.signer.sign(local, form)).statusCode()).isEqualTo(403);
        // signed, but for another account
        Map<String, String> other = new LinkedHashMap<>(form);
        other.put("AccountSid", "AC99999999999999999999999999999999");
        assertThat(send("/twilio/voice", other, node.signer.sign(url, other)).statusCode()).isEqualTo(403);
        Map<String, String> sms = sms(REACH, "DND");
        assertThat(send("/twilio/sms", sms, node.signer.sign(PUBLIC + "/twilio/sms?x=1", sms)).statusCode()).isEqualTo(403);

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
    void smsDeliveryReportsAreRecordedWithTheNotificationTheySpeakOf() throws Exception {
        // an SMS the outbox sent, Twilio's message SID on it
        long id = store.database().write(c -> de.vorzimmer.notify.OutboxStore.enqueue(c,
                new de.vorzimmer.notify.NewNotification("test:1", de.vorzimmer.notify.NotificationKind.URGENT, "mueller",
                        REACH, "DRINGEND", NOW, NOW.plusSeconds(3600)), List.of()).orElseThrow());
        assertThat(store.outbox().claimDue(NOW, NOW, NOW.minusSeconds(60), 10, new ArrayList<>())).hasSize(1);
        assertThat(store.outbox().markSent(id, "SM0123", NOW)).isTrue();

        Map<String, String> sending = new LinkedHashMap<>();
        sending.put("AccountSid", ACCOUNT);
        sending.put("MessageSid", "SM0123");
        sending.put("MessageStatus", "sent");
        assertThat(post("/twilio/sms-status", sending).statusCode()).isEqualTo(200);
        assertThat(store.outbox().get(id).orElseThrow().delivery()).as("still on its way: nothing to record").isNull();

        Map<String, String> failed = new LinkedHashMap<>(sending);
        failed.put("MessageStatus", "undelivered");
        failed.put("ErrorCode", "30003");
        assertThat(post("/twilio/sms-status", failed).statusCode()).isEqualTo(200);
        assertThat(store.outbox().get(id).orElseThrow().delivery()).isEqualTo("undelivered 30003");

        Map<String, String> unknown = new LinkedHashMap<>(failed);
        unknown.put("MessageSid", "SM9999");
        assertThat(post("/twilio/sms-status", unknown).statusCode()).as("a report for no SMS of ours changes nothing")
                .isEqualTo(200);
        assertThat(store.outbox().get(id).orElseThrow().delivery()).isEqualTo("undelivered 30003");
    }

    // ---- fallback ----------------------------------------------------------------------------------------

    @Test
    void theFallbackIsStaticTwimlThatApologisesAndRecords() throws Exception {
        HttpResponse<String> get = node.http.send(HttpRequest.newBuilder(URI.create(node.local("/twilio/fallback")))
                .header("X-Twilio-Signature", node.signer.sign(PUBLIC + "/twilio/fallback", Map.of())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        Document doc = twiml(get);
        assertThat(one(doc, "/Response/Say[1]").getTextContent()).contains("Leider");
        assertThat(one(doc, "/Response/Record").getAttribute("action")).isEqualTo("recording");
        HttpResponse<String> post = post("/twilio/fallback", incoming(newSid(), LAB, LINE));
        assertThat(post.body()).isEqualTo(TwilioWebhooks.fallbackTwiml());
        assertThat(send("/twilio/fallback", Map.of(), null).statusCode()).isEqualTo(403);
    }

    /**
     * The client's phone answers the put-through leg of call {@code sid} (its whisper at {@code whisperUrl}) and the
     * client presses {@code digit}: the TwiML that answers the key.
     */
    private Document clientPresses(String whisperUrl, String sid, String digit) throws Exception {
        String child = newSid();
        Element gather = one(twiml(postUrl(whisperUrl, leg(child, sid))), "/Response/Gather");
        Map<String, String> pressed = leg(child, sid);
        pressed.put("Digits", digit);
        return twiml(postUrl(gather.getAttribute("action"), pressed));
    }

    /** A call the client took ends: Twilio hangs up after the put-through, no message, the call answered. */
    private void assertEndsAsTaken(String putThroughAction, String sid) throws Exception {
        Document after = twiml(postUrl(putThroughAction, dialResult(sid, "completed")));
        assertThat(all(after, "/Response/Hangup")).hasSize(1);
        post("/twilio/status", status(sid, "completed"));
        assertThat(messages()).isEmpty();
        assertThat(calls.find(sid)).get().extracting(CallRecord::outcome).isEqualTo(CallRecord.Outcome.ANSWERED);
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
    static Map<String, String> incoming(String sid, String from, String to) {
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

    /** What Twilio posts to the URL a live call was redirected to with the REST API. */
    static Map<String, String> redirected(String sid) {
        Map<String, String> f = incoming(sid, "+49301112222", LINE);
        f.put("CallStatus", "in-progress");
        return f;
    }

    static Map<String, String> leg(String childSid, String parentSid) {
        Map<String, String> f = base(childSid);
        f.put("ParentCallSid", parentSid);
        f.put("CallStatus", "in-progress");
        f.put("Direction", "outbound-dial");
        f.put("From", LAB);
        f.put("To", REACH);
        return f;
    }

    static Map<String, String> dialResult(String sid, String dialStatus) {
        Map<String, String> f = incoming(sid, LAB, LINE);
        f.put("CallStatus", "in-progress");
        f.put("DialCallStatus", dialStatus);
        f.put("DialCallSid", "CAffff" + sid.substring(6));
        f.put("DialCallDuration", "completed".equals(dialStatus) ? "42" : "0");
        return f;
    }

    static String recordingUrl(String sid) {
        return "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/RE" + sid.substring(2);
    }

    static Map<String, String> recording(String sid, String seconds) {
        Map<String, String> f = base(sid);
        f.put("RecordingUrl", recordingUrl(sid));
        f.put("RecordingSid", "RE" + sid.substring(2));
        f.put("RecordingDuration", seconds);
        f.put("Digits", "hangup");
        return f;
    }

    static Map<String, String> status(String sid, String callStatus) {
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

    private HttpResponse<String> post(String pathAndQuery, Map<String, String> form) throws Exception {
        return node.post(pathAndQuery, form);
    }

    /** Posts to an absolute URL we handed Twilio in TwiML. */
    private HttpResponse<String> postUrl(String publicUrl, Map<String, String> form) throws Exception {
        assertThat(publicUrl).startsWith(PUBLIC);
        return post(publicUrl.substring(PUBLIC.length()), form);
    }

    private HttpResponse<String> send(String pathAndQuery, Map<String, String> form, String signature) throws Exception {
        return node.send(pathAndQuery, form, signature);
    }

    private static String smsReply(HttpResponse<String> r) throws Exception {
        Document d = twiml(r);
        return one(d, "/Response/Message/Body").getTextContent();
    }

    private List<Message> messages() {
        return store.messages().list(MessageFilter.all());
    }
}
