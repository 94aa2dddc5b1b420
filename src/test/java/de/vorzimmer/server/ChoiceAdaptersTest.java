package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.config.Config;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.notify.FakeTwilio.Answer;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import de.vorzimmer.twilio.CallRecord;
import de.vorzimmer.twilio.TwilioCallStore;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's call buttons on a real server with both PBX adapters configured: AMI (pointing at a port where
 * nothing listens, so its consumer answers every choice with "no call in progress") and Twilio (REST API at a local
 * {@link FakeTwilio}). Every choice goes through {@code POST /api/v1/calls/{id}/choice} and must reach the adapter
 * that owns the call, every time.
 */
class ChoiceAdaptersTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "test-auth-token";
    private static final String PUBLIC = "https://vz.example.com";
    private static final String ASTERISK_CALL = "1764316800.42";

    @TempDir
    static Path dir;
    static FakeTwilio fake;
    static VorzimmerServer server;
    static String apiToken;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static int sidCounter;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeTwilio();
        Path db = dir.resolve("vz.db");
        try (Stores store = Stores.open(db, Durability.FULL, new PinHasher())) {
            store.books().save(BookLoader.load(VorzimmerServer.demoBookText(), new PinHasher()), "test", Instant.now());
        }
        int nobodyListens;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = s.getLocalPort();
        }
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, db.toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, "0");
        o.put(Config.AMI_HOST, "127.0.0.1");
        o.put(Config.AMI_PORT, Integer.toString(nobodyListens));
        o.put(Config.AMI_USER, "vorzimmer");
        o.put(Config.AMI_SECRET, "not-used");
        o.put(Config.TWILIO_ACCOUNT_SID, ACCOUNT);
        o.put(Config.TWILIO_AUTH_TOKEN, TOKEN);
        o.put(Config.TWILIO_PUBLIC_URL, PUBLIC);
        o.put(Config.TWILIO_API_URL, fake.url().toString());
        server = VorzimmerServer.start(Config.load(null, Map.of(), o), false, Clock.systemUTC());
        apiToken = server.consoleAuth().createToken("choice test", "test").token();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (fake != null) fake.close();
    }

    @Test
    void everyChoiceReachesTheAdapterThatOwnsTheCall() throws Exception {
        String sid = twilioCall();
        for (int i = 0; i < 4; i++) {
            JsonObject twilio = choose(sid, "voicemail");
            assertThat(twilio.getBoolean("carriedOut")).as(twilio.encode()).isTrue();
            assertThat(twilio.containsKey("reason")).isFalse();

            JsonObject asterisk = choose(ASTERISK_CALL, "voicemail");
            assertThat(asterisk.getBoolean("carriedOut")).isFalse();
            assertThat(asterisk.getString("reason")).isEqualTo("no call '" + ASTERISK_CALL + "' in progress");
        }
        assertThat(twilioRequestsFor(sid)).hasSize(4).allSatisfy(r ->
                assertThat(r.form()).containsEntry("Url", PUBLIC + "/twilio/choice?choice=voicemail"));
        assertThat(fake.received()).noneMatch(r -> r.path().contains(ASTERISK_CALL));
        assertThat(choicesRecorded(sid, true)).isEqualTo(4);
        assertThat(choicesRecorded(ASTERISK_CALL, false)).isEqualTo(4);
    }

    @Test
    void aChoiceTwilioRefusesIsRecordedOnlyWithTheReason() throws Exception {
        String sid = twilioCall();
        fake.script(Answer.error(404, 20404));

        JsonObject r = choose(sid, "put-through");

        assertThat(r.getBoolean("carriedOut")).isFalse();
        assertThat(r.getString("reason")).startsWith("call " + sid + " is no longer in progress at Twilio (HTTP 404");
        assertThat(choicesRecorded(sid, false)).isEqualTo(1);
        assertThat(choicesRecorded(sid, true)).isZero();
    }

    @Test
    void aCallSidTwilioDoesNotKnowIsRecordedOnlyAndTwilioIsNotAsked() throws Exception {
        String unknown = String.format("CA%032x", 0xfeedL);

        JsonObject r = choose(unknown, "put-through");

        assertThat(r.getBoolean("carriedOut")).isFalse();
        assertThat(r.getString("reason")).isEqualTo("no phone system answered within 3 s");
        assertThat(r.getString("reasonCode")).isEqualTo("pbx-timeout");
        assertThat(twilioRequestsFor(unknown)).isEmpty();
        assertThat(choicesRecorded(unknown, false)).isEqualTo(1);
    }

    @Test
    void theChoiceWebhookSitsBehindTheSignatureCheck() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/twilio/choice?choice=voicemail"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("CallSid=" + twilioCall() + "&AccountSid=" + ACCOUNT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** A Twilio call being screened for Dr. Müller, as {@code /twilio/voice} stores it. */
    private static String twilioCall() {
        String sid = String.format("CA%032x", ++sidCounter);
        Instant now = Instant.now();
        try (TwilioCallStore calls = new TwilioCallStore(Stores.on(server.database()).database())) {
            calls.insert(new CallRecord(sid, now, "mueller", "+49301234567", "+49301112222", null, Action.SCREEN, false,
                    "de", "DE", List.of("PJSIP/anna"), false, null, null, null), now);
        }
        return sid;
    }

    private static String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** What the console page sends when a secretary presses a button on the card. */
    private static JsonObject choose(String callId, String choice) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/calls/" + callId + "/choice"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("choice", choice).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("callId")).isEqualTo(callId);
        assertThat(body.getString("choice")).isEqualTo(choice);
        return body;
    }

    private static List<FakeTwilio.Received> twilioRequestsFor(String callSid) {
        return fake.received().stream()
                .filter(r -> r.path().equals("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + callSid + ".json"))
                .toList();
    }

    private static int choicesRecorded(String callId, boolean carriedOut) {
        return Stores.on(server.database()).database().read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COUNT(*) FROM call_choices WHERE call_id = ? AND carried_out = ?")) {
                p.setString(1, callId);
                p.setBoolean(2, carriedOut);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
