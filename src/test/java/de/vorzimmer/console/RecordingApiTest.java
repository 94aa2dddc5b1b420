package de.vorzimmer.console;

import de.vorzimmer.store.Stores;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.config.Config;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's recordings: a file only from inside the recordings folder (no other folder, no {@code ..}, no link out
 * of it), a Twilio recording fetched with the account's credentials from Twilio's API (here a stand-in at
 * {@code twilio.api-url}), nothing from any other host.
 */
class RecordingApiTest {
    private static final String SID = "AC0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dir;
    static Path recordings;
    static Path outside;
    static Vertx fakeTwilio;
    static HttpServer twilio;
    static final List<String> twilioAuth = new CopyOnWriteArrayList<>();
    static ConsoleServer app;
    static ConsoleServer.Session anna;

    @BeforeAll
    static void start() throws Exception {
        recordings = Files.createDirectories(dir.resolve("recordings"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(recordings.resolve("vz-1.wav"), "RIFF-inside");
        Files.writeString(outside.resolve("secret.wav"), "RIFF-outside");
        Files.writeString(recordings.resolve("notes.txt"), "not audio");
        Files.createSymbolicLink(recordings.resolve("link.wav"), outside.resolve("secret.wav"));
        fakeTwilio = Vertx.vertx();
        twilio = fakeTwilio.createHttpServer().requestHandler(req -> {
            twilioAuth.add(req.path() + " " + req.getHeader("Authorization"));
            if (req.path().endsWith("/Recordings/RE1")) req.response().putHeader("Content-Type", "audio/x-wav").end("RIFF-twilio");
            else req.response().setStatusCode(404).end();
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        app = new ConsoleServer(dir, Clock.systemUTC(), Map.of(Config.RECORDINGS, recordings.toString(),
                Config.TWILIO_ACCOUNT_SID, SID, Config.TWILIO_AUTH_TOKEN, "secret-token",
                Config.TWILIO_API_URL, "http://127.0.0.1:" + twilio.actualPort()));
        anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) app.close();
        if (fakeTwilio != null) fakeTwilio.close().await(10, TimeUnit.SECONDS);
    }

    private static long message(String recording) {
        return Stores.on(app.server.database()).messages().add(Message.received(Instant.now(), "mueller", "+49301234567",
                "+49305550000", null, MessageKind.RECORDING, null, recording, false, null));
    }

    private static HttpResponse<String> get(long id) throws Exception {
        return app.send("GET", "/api/v1/messages/" + id + "/recording", Map.of("Cookie", anna.cookie()), null);
    }

    @Test
    void aRecordingInTheFolderIsPlayed() throws Exception {
        HttpResponse<String> r = get(message(recordings.resolve("vz-1.wav").toString()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(r.body()).isEqualTo("RIFF-inside");
    }

    @Test
    void theSameFileNameWrittenUnderAnotherRootIsFoundInTheFolder() throws Exception {
        // Asterisk in a chroot writes /var/spool/asterisk/vorzimmer/vz-1.wav; the server sees the folder elsewhere
        assertThat(get(message("/var/spool/asterisk/vorzimmer/vz-1.wav")).body()).isEqualTo("RIFF-inside");
    }

    @Test
    void nothingOutsideTheFolderIsServed() throws Exception {
        for (String path : List.of(outside.resolve("secret.wav").toString(), recordings + "/../outside/secret.wav",
                "../outside/secret.wav", recordings.resolve("link.wav").toString(), "/etc/passwd",
                recordings.resolve("notes.txt").toString(), "vz-\u0000.wav")) {
            HttpResponse<String> r = get(message(path));
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new JsonObject(r.body()).getString("code")).as(path).isEqualTo("recording-unavailable");
            assertThat(r.body()).doesNotContain("RIFF");
        }
    }

    @Test
    void aTwilioRecordingIsFetchedWithTheAccountsCredentials() throws Exception {
        HttpResponse<String> r = get(message("https://api.twilio.com/2010-04-01/Accounts/" + SID + "/Recordings/RE1"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("RIFF-twilio");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/x-wav");
        String basic = java.util.Base64.getEncoder().encodeToString((SID + ":secret-token").getBytes(StandardCharsets.UTF_8));
        assertThat(twilioAuth).contains("/2010-04-01/Accounts/" + SID + "/Recordings/RE1 Basic " + basic);
    }

    @Test
    void aRecordingUrlOnAnotherHostIsNeverFetched() throws Exception {
        int before = twilioAuth.size();
        for (String url : List.of("https://evil.example/Recordings/RE1", "http://api.twilio.com/2010-04-01/x",
                "https://api.twilio.com.evil.example/RE1")) {
            HttpResponse<String> r = get(message(url));
            assertThat(r.statusCode()).as(url).isEqualTo(404);
            assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("recording-unavailable");
        }
        assertThat(twilioAuth).hasSize(before);
    }

    @Test
    void aMessageWithoutRecordingOrNoMessageIsNotFound() throws Exception {
        long typed = Stores.on(app.server.database()).messages().add(Message.received(Instant.now(), "mueller", null, "+49305550000",
                null, MessageKind.TYPED, "Bitte zurückrufen", null, false, null));
        assertThat(new JsonObject(get(typed).body()).getString("code")).isEqualTo("recording-unknown");
        assertThat(new JsonObject(get(999_999).body()).getString("code")).isEqualTo("message-unknown");
        assertThat(app.send("GET", "/api/v1/messages/" + typed + "/recording", Map.of(), null).statusCode()).isEqualTo(401);
    }
}
