package de.vorzimmer.twilio;

import static de.vorzimmer.twilio.TwilioWebhooksTest.BOOK;
import static de.vorzimmer.twilio.TwilioWebhooksTest.LINE;
import static de.vorzimmer.twilio.TwilioWebhooksTest.NOW;
import static de.vorzimmer.twilio.TwilioWebhooksTest.PUBLIC;
import static de.vorzimmer.twilio.TwilioWebhooksTest.TOKEN;
import static de.vorzimmer.twilio.TwilioWebhooksTest.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.config.Config;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Twilio call in the console: the whole server with the Twilio webhooks on, the book of {@link TwilioWebhooksTest}
 * (anna on {@code client:anna}, ben on {@code sip:ben@...}, carla on Asterisk), the secretaries' consoles connected to
 * {@code /api/v1/events}, and calls arriving as signed webhooks. A call's card must reach exactly the secretaries whose
 * phones the TwiML rings.
 */
class TwilioScreenPopTest {
    @TempDir
    Path dir;
    ConsoleServer app;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final TwilioSigner signer = new TwilioSigner(TOKEN);

    @BeforeEach
    void start() throws Exception {
        app = new ConsoleServer(dir, Clock.fixed(NOW, ZoneOffset.UTC),
                Map.of(Config.TWILIO_AUTH_TOKEN, TOKEN, Config.TWILIO_PUBLIC_URL, PUBLIC));
        ConsoleServer.Session admin = app.login("admin", VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<String> put = app.send("PUT", "/api/v1/admin/book",
                Map.of("Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf()), new JsonObject().put("yaml", BOOK).encode());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @Test
    void aTwilioCallPopsUpAtTheSecretariesItRingsAndNowhereElse() throws Exception {
        BlockingQueue<JsonObject> anna = calls("anna");
        BlockingQueue<JsonObject> ben = calls("ben");
        BlockingQueue<JsonObject> carla = calls("carla");
        String forSmith = String.format("CA%032x", 1);
        String forMueller = String.format("CA%032x", 2);
        String forEveryone = String.format("CA%032x", 3);

        // Jane Smith's calls go to the secretaries who speak English: anna only
        webhook("/twilio/voice", incoming(forSmith, "+442079460999", "+442079460123"));
        // Dr. Müller's to the German speakers Twilio can ring: anna and ben (carla is on Asterisk)
        webhook("/twilio/voice", incoming(forMueller, "+49301112222", LINE));

        Map<String, JsonObject> annaSaw = ringing(anna, 2);
        assertThat(annaSaw).containsOnlyKeys(forSmith, forMueller);
        assertThat(annaSaw.get(forSmith).getJsonArray("targets")).containsExactly("client:anna");
        JsonObject card = annaSaw.get(forMueller);
        assertThat(card.getJsonArray("targets")).containsExactly("client:anna", "sip:ben@vz.sip.twilio.com");
        assertThat(card.getString("clientName")).isEqualTo("Zahnarztpraxis Dr. Müller");
        assertThat(card.getString("greeting")).isEqualTo("Zahnarztpraxis Dr. Müller, guten Tag.");
        assertThat(card.getJsonObject("caller").getString("number")).isEqualTo("+49301112222");
        assertThat(card.getJsonObject("caller").getString("class")).isEqualTo("unknown");

        // an anonymous caller goes straight to the recording: a state without targets, shown to everyone, which
        // arrives after anything the two calls above sent to each console
        webhook("/twilio/voice", incoming(forEveryone, "+266696687", LINE));
        assertThat(callIdsUntil(ben, forEveryone)).containsExactly(forMueller, forEveryone);
        assertThat(callIdsUntil(carla, forEveryone)).containsExactly(forEveryone);
        assertThat(callIdsUntil(anna, forEveryone)).containsExactly(forEveryone);
    }

    private void webhook(String path, Map<String, String> form) throws Exception {
        HttpResponse<String> r = TwilioHttp.send(http, app.base, path, form, signer.sign(PUBLIC + path, form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Logs {@code user} in and opens the console's event stream; the call events arrive in the queue. */
    private BlockingQueue<JsonObject> calls(String user) throws Exception {
        ConsoleServer.Session s = app.login(user, VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(app.base + "/api/v1/events"))
                .header("Cookie", s.cookie()).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        BlockingQueue<JsonObject> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            String event = null;
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.startsWith("event: ")) event = line.substring("event: ".length());
                else if (line.startsWith("data: ") && "call".equals(event)) out.add(new JsonObject(line.substring(6)));
                else if (line.isEmpty()) event = null;
            }
        }, "sse-" + user);
        reader.setDaemon(true);
        reader.start();
        return out;
    }

    /** The first {@code n} ringing calls on a stream, by call id (waits up to 10 s). */
    private static Map<String, JsonObject> ringing(BlockingQueue<JsonObject> stream, int n) throws InterruptedException {
        Map<String, JsonObject> seen = new LinkedHashMap<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < n) {
            JsonObject e = stream.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("ringing calls so far: " + seen.keySet()).isNotNull();
            if ("ringing".equals(e.getString("state"))) seen.put(e.getString("callId"), e);
        }
        return seen;
    }

    /** The call ids a stream delivers up to and including {@code last} (waits up to 10 s). */
    private static List<String> callIdsUntil(BlockingQueue<JsonObject> stream, String last) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ids.isEmpty() || !ids.get(ids.size() - 1).equals(last)) {
            JsonObject e = stream.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("calls so far: " + ids).isNotNull();
            ids.add(e.getString("callId"));
        }
        return ids;
    }
}
