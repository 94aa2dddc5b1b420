package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.book.TestClients;
import de.vorzimmer.config.Config;
import de.vorzimmer.escalation.ServerFixture;
import de.vorzimmer.notify.FakeTwilio;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The escalation chain on Twilio, end to end: a real server, Twilio's SDK against the local stand-in for its REST
 * API ({@link FakeTwilio}: SMS, calls created and read), and this test playing Twilio's side of the calls and SMS
 * (signed webhooks). Urgent message → SMS with its reference → SMS reply OK, or no reply → call-out read by TwiML →
 * key 1, or no answer → the backup.
 */
class TwilioEscalationTest {
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "escalation-test-token";
    static final String PUBLIC = "https://vz.example.com";
    static final String FROM = "+4930555000";
    static final String MUELLER = "+491701111111";
    static final String SCHULZ = "+491712222222";
    static final String BOOK = """
            version: 1
            clients:
            """ + TestClients.MUELLER + """
                oncall:
                  - { name: Dr. Müller, number: "+49 170 1111111" }
                  - { name: Dr. Schulz, number: "+49 171 2222222" }
                escalation: { after: 2s, ring: 5s, rounds: 1 }
            """;

    @TempDir
    Path dir;
    FakeTwilio fake;
    ServerFixture fx;
    final TwilioSigner signer = new TwilioSigner(TOKEN);

    @BeforeEach
    void start() throws Exception {
        fake = new FakeTwilio();
        Map<String, String> keys = new HashMap<>();
        keys.put(Config.TWILIO_ACCOUNT_SID, ACCOUNT);
        keys.put(Config.TWILIO_AUTH_TOKEN, TOKEN);
        keys.put(Config.TWILIO_PUBLIC_URL, PUBLIC);
        keys.put(Config.TWILIO_FROM, FROM);
        keys.put(Config.TWILIO_API_URL, fake.url().toString());
        keys.put(Config.NOTIFY_TIMEOUT, "2s");
        fx = new ServerFixture(dir, BOOK, keys);
    }

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
        fake.close();
    }

    @Test
    void anSmsReplyOkConfirmsBeforeTheCallOut() throws Exception {
        long id = fx.take("mueller", "Labor Schmidt", "Befund kritisch, bitte sofort zurückrufen", true);
        FakeTwilio.Received sms = awaitSms(MUELLER);
        assertThat(sms.form().get("Body")).endsWith("Bestätigen: OK " + id);

        String reply = smsReply(MUELLER, "ok " + id);

        assertThat(reply).isEqualTo("Vorzimmer: Nachricht " + id + " (Müller) ist bestätigt. Danke.");
        JsonObject e = fx.escalation(id);
        assertThat(e.getString("state")).isEqualTo("confirmed");
        assertThat(e.getString("confirmed_via")).isEqualTo("sms");
        assertThat(e.getString("confirmed_by")).isEqualTo("sms:" + MUELLER);
        assertThat(fx.message(id).getString("state")).isEqualTo("read");
        assertThat(fx.message(id).containsKey("unconfirmed")).isFalse();
        // the call-out that was due two seconds later never happens
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> fake.calls().isEmpty());
        JsonObject call = step(id, 1);
        assertThat(call.getString("outcome")).isEqualTo("cancelled");
        assertThat(call.getString("outbox_state")).isEqualTo("cancelled");
    }

    @Test
    void withoutAReplyThePersonOnCallIsCalledAndKeyOneConfirms() throws Exception {
        long id = fx.take("mueller", "Labor Schmidt", "Befund kritisch", true);
        awaitSms(MUELLER);
        assertThat(fx.message(id).getBoolean("unconfirmed")).isTrue();

        FakeTwilio.CreatedCall call = awaitCall(1);
        assertThat(call.to()).isEqualTo(MUELLER);
        assertThat(call.form()).containsEntry("From", FROM).containsEntry("Timeout", "5")
                .containsEntry("StatusCallbackEvent", "completed");
        Document twiml = answer(call);
        String said = TwilioHttp.xml(twiml);
        assertThat(said).contains("Dringende Nachricht " + id + " für Zahnarztpraxis Dr. Müller")
                .contains("Befund kritisch").contains("Drücken Sie 1");
        assertThat(TwilioHttp.one(twiml, "/Response/Gather").getAttribute("numDigits")).isEqualTo("1");

        Document again = press(call, twiml, "2");
        assertThat(TwilioHttp.xml(again)).contains("Befund kritisch");
        Document done = press(call, again, "1");
        assertThat(TwilioHttp.xml(done)).contains("Die Nachricht ist bestätigt");
        status(call, "completed");

        JsonObject e = fx.escalation(id);
        assertThat(e.getString("state")).isEqualTo("confirmed");
        assertThat(e.getString("confirmed_via")).isEqualTo("call");
        assertThat(step(id, 1).getString("outcome")).isEqualTo("confirmed");
        assertThat(step(id, 1).getString("person")).isEqualTo("Dr. Müller");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> fake.calls().size() == 1);
    }

    @Test
    void whenTheFirstPersonDoesNotAnswerTheBackupIsCalledAndConfirms() throws Exception {
        long id = fx.take("mueller", "Labor Schmidt", "Befund kritisch", true);
        awaitSms(MUELLER);
        FakeTwilio.CreatedCall first = awaitCall(1);
        assertThat(first.to()).isEqualTo(MUELLER);
        status(first, "no-answer");

        FakeTwilio.CreatedCall second = awaitCall(2);
        assertThat(second.to()).isEqualTo(SCHULZ);
        press(second, answer(second), "1");
        status(second, "completed");

        JsonObject e = fx.escalation(id);
        assertThat(e.getString("state")).isEqualTo("confirmed");
        assertThat(e.getString("confirmed_by")).isEqualTo("call:" + SCHULZ);
        JsonArray steps = e.getJsonArray("steps");
        assertThat(steps.stream().map(o -> ((JsonObject) o).getString("person") + " " + ((JsonObject) o).getString("channel")
                + " " + ((JsonObject) o).getString("outcome"))).containsExactly("Dr. Müller sms null",
                "Dr. Müller call no-answer", "Dr. Schulz call confirmed");
        // a repeated status report of the first call changes nothing
        status(first, "no-answer");
        assertThat(fx.escalation(id).getJsonArray("steps")).hasSize(3);
    }

    @Test
    void anSmsReplyThatConfirmsNothingChangesNothingAndGetsAShortAnswer() throws Exception {
        long id = fx.take("mueller", "Labor Schmidt", "Befund kritisch", true);
        awaitSms(MUELLER);

        assertThat(smsReply(MUELLER, "OK 999")).isEqualTo(
                "Vorzimmer: Keine offene Nachricht 999 für diese Nummer, nichts geändert.");
        assertThat(smsReply("+4915199999999", "OK " + id)).startsWith(
                "Vorzimmer: Diese Nummer ist nicht im Bereitschaftsdienst, nichts geändert.");
        long second = fx.take("mueller", "Herr Groß", "Zahnschmerzen", true);
        assertThat(smsReply(SCHULZ, "ja")).isEqualTo("Vorzimmer: Mehrere offene Nachrichten (" + id + ", " + second
                + "), nichts geändert. Antworten Sie z. B. OK " + id + ".");

        for (long m : List.of(id, second)) {
            assertThat(fx.message(m).getBoolean("unconfirmed")).isTrue();
            assertThat(fx.escalation(m).getString("state")).isEqualTo("running");
        }
        assertThat(smsReply(SCHULZ, "1 " + second)).startsWith("Vorzimmer: Nachricht " + second);
        assertThat(fx.escalation(second).getString("confirmed_by")).isEqualTo("sms:" + SCHULZ);
        assertThat(fx.escalation(id).getString("state")).isEqualTo("running");
    }

    @Test
    void theSecretaryCanStopAndRestartAChain() throws Exception {
        long id = fx.take("mueller", "Labor Schmidt", "Befund kritisch", true);
        awaitSms(MUELLER);

        JsonObject stopped = fx.ok("POST", "/api/v1/escalations/" + id + "/stop", null);
        assertThat(stopped.getString("state")).isEqualTo("stopped");
        assertThat(stopped.getString("stopped_by")).isEqualTo("token:escalation-test");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> fake.calls().isEmpty());

        JsonObject restarted = fx.ok("POST", "/api/v1/escalations/" + id + "/restart", null);
        assertThat(restarted.getString("state")).isEqualTo("running");
        assertThat(awaitCall(1).to()).isEqualTo(MUELLER);
        assertThat(fx.send("GET", "/api/v1/escalations?state=open", null).body()).contains("\"message\":" + id);

        smsReply(MUELLER, "OK");
        HttpResponse<String> refused = fx.send("POST", "/api/v1/escalations/" + id + "/restart", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(fx.send("POST", "/api/v1/escalations/4711/stop", null).statusCode()).isEqualTo(404);
        assertThat(fx.send("GET", "/api/v1/escalations?state=maybe", null).statusCode()).isEqualTo(400);
    }

    // ---- Twilio's side ---------------------------------------------------------------------------------------

    private FakeTwilio.Received awaitSms(String to) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> fake.received().stream()
                .filter(r -> r.path().endsWith("/Messages.json") && to.equals(r.form().get("To"))).findFirst().orElse(null),
                r -> r != null);
    }

    private FakeTwilio.CreatedCall awaitCall(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.calls().size() >= n);
        return fake.calls().get(n - 1);
    }

    private String smsReply(String from, String body) throws Exception {
        Map<String, String> form = Map.of("MessageSid", "SM" + "0".repeat(31) + (int) (Math.random() * 9), "From", from,
                "To", FROM, "Body", body, "AccountSid", ACCOUNT);
        HttpResponse<String> r = post("/twilio/sms", form);
        assertThat(r.statusCode()).isEqualTo(200);
        return TwilioHttp.one(TwilioHttp.twiml(r), "/Response/Message/Body").getTextContent();
    }

    /** The person answers: Twilio fetches the call's TwiML from its Url. */
    private Document answer(FakeTwilio.CreatedCall call) throws Exception {
        HttpResponse<String> r = post(local(call.form().get("Url")), callForm(call, Map.of("CallStatus", "in-progress")));
        assertThat(r.statusCode()).isEqualTo(200);
        return TwilioHttp.twiml(r);
    }

    /** The person presses {@code digit} during the gather of {@code twiml}. */
    private Document press(FakeTwilio.CreatedCall call, Document twiml, String digit) throws Exception {
        String action = TwilioHttp.one(twiml, "/Response/Gather").getAttribute("action");
        HttpResponse<String> r = post(local(action), callForm(call, Map.of("Digits", digit, "CallStatus", "in-progress")));
        assertThat(r.statusCode()).isEqualTo(200);
        return TwilioHttp.twiml(r);
    }

    private void status(FakeTwilio.CreatedCall call, String status) throws Exception {
        HttpResponse<String> r = post(local(call.form().get("StatusCallback")), callForm(call, Map.of("CallStatus", status)));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static Map<String, String> callForm(FakeTwilio.CreatedCall call, Map<String, String> more) {
        Map<String, String> form = new HashMap<>(more);
        form.put("CallSid", call.sid());
        form.put("AccountSid", ACCOUNT);
        form.put("From", FROM);
        form.put("To", call.to());
        form.put("Direction", "outbound-api");
        return form;
    }

    private static String local(String publicUrl) {
        assertThat(publicUrl).startsWith(PUBLIC);
        return publicUrl.substring(PUBLIC.length());
    }

    private HttpResponse<String> post(String pathAndQuery, Map<String, String> form) throws Exception {
        return TwilioHttp.send(fx.http, fx.base, pathAndQuery, form, signer.sign(PUBLIC + pathAndQuery, form));
    }

    private JsonObject step(long id, int step) throws Exception {
        return fx.steps(id).stream().map(o -> (JsonObject) o).filter(s -> s.getInteger("step") == step).findFirst()
                .orElseThrow();
    }
}
