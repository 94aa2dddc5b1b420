package de.vorzimmer.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.config.Config;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages by e-mail through a real SMTP server on loopback (GreenMail), read back from it: headers, the UTF-8
 * subject, the recording attached as a WAV that decodes to the recorded audio, the console link; and an SMTP server
 * that refuses or does not answer: the mail is retried from the outbox and shows there.
 */
class EmailTest {
    static final String BOOK = """
            version: 1
            clients:
            """ + TestClients.MUELLER + """
                email: praxis@example.de
                email-for: all
                contacts:
                  - { name: Herr Groß, numbers: ["030 9876543"] }
            """ + TestClients.SMITH + """
                email: office@smith.example
                email-for: urgent
                escalation: { rounds: 0 }
            """;

    @TempDir
    Path dir;
    GreenMail smtp;
    ServerFixture fx;
    Path recordings;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("vorzimmer", "s3cret-mail"));
        smtp.start();
        recordings = Files.createDirectories(dir.resolve("recordings"));
    }

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
        smtp.stop();
    }

    private void server(int smtpPort, Map<String, String> extra) throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put(Config.MAIL_HOST, "127.0.0.1");
        keys.put(Config.MAIL_PORT, Integer.toString(smtpPort));
        keys.put(Config.MAIL_STARTTLS, "off");
        keys.put(Config.MAIL_USER, "vorzimmer");
        keys.put(Config.MAIL_PASSWORD, "s3cret-mail");
        keys.put(Config.MAIL_FROM, "Vorzimmer <vorzimmer@example.de>");
        keys.put(Config.MAIL_TIMEOUT, "2s");
        keys.put(Config.RECORDINGS, recordings.toString());
        keys.putAll(extra);
        fx = new ServerFixture(dir, BOOK, keys);
    }

    @Test
    void aRecordedMessageArrivesWithItsRecordingCallerTimeNoteAndAWorkingLink() throws Exception {
        server(smtp.getSmtp().getPort(), Map.of());
        byte[] wav = tone();
        Path file = recordings.resolve("vz-1764489900.7.wav");
        Files.write(file, wav);
        Files.writeString(recordings.resolve("vz-1764489900.7.txt"), String.join("\n", "uniqueid=1764489900.7",
                "time=2026-11-30T08:05:00Z", "caller=+49309876543", "caller_name=Herr Groß", "dialed=+49301234567",
                "client=mueller", "urgent=1", "recording=" + file, "") );
        assertThat(fx.server.asterisk().scanNow().get()).isEqualTo(1);

        assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        String rawSubject = mail.getHeader("Subject")[0];
        assertThat(rawSubject).startsWith("=?UTF-8?");
        assertThat(mail.getSubject()).startsWith("DRINGEND: Nachricht für Müller von Herr Groß, 30.11. 09:05 [");
        assertThat(mail.getFrom()[0].toString()).contains("vorzimmer@example.de");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("praxis@example.de");
        assertThat(mail.getContentType()).startsWith("multipart/mixed");

        List<Part> parts = new ArrayList<>();
        flatten(mail, parts);
        Part audio = parts.stream().filter(p -> uncheckedType(p).startsWith("audio/")).findFirst().orElseThrow();
        assertThat(audio.getContentType()).startsWith("audio/wav");
        assertThat(audio.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
        assertThat(audio.getFileName()).matches("nachricht-\\d+\\.wav");
        byte[] attached = audio.getInputStream().readAllBytes();
        assertThat(attached).isEqualTo(wav);
        AudioInputStream decoded = AudioSystem.getAudioInputStream(new ByteArrayInputStream(attached));
        assertThat(decoded.getFormat().getSampleRate()).isEqualTo(8000f);
        assertThat(decoded.getFrameLength()).isEqualTo(8000);

        String text = parts.stream().filter(p -> uncheckedType(p).startsWith("text/plain")).findFirst().orElseThrow()
                .getContent().toString();
        assertThat(text).contains("Anrufer: Herr Groß").contains("Nummer: +49309876543")
                .contains("Zeit: Montag, 30.11.2026 09:05 (Europe/Berlin)").contains("Sprachnachricht, Aufnahme im Anhang")
                .contains("Status: unbestätigt");
        Matcher link = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/console/#message/(\\d+))").matcher(text);
        assertThat(link.find()).isTrue();
        HttpResponse<String> page = fx.http.send(HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
        JsonObject m = fx.message(Long.parseLong(link.group(2)));
        assertThat(m.getString("recording")).isEqualTo(file.toString());
        assertThat(m.getJsonArray("notifications").stream().map(o -> ((JsonObject) o).getString("channel")))
                .contains("email");
    }

    @Test
    void anEnglishClientGetsOnlyItsUrgentMessagesByEmail() throws Exception {
        server(smtp.getSmtp().getPort(), Map.of());
        fx.take("smith", "Jane Doe", "Not urgent", false);
        long urgent = fx.take("smith", "John Roe", "Server room is flooding – call back", true);

        assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("URGENT: Message for Smith from John Roe, "
                + mailTime(urgent) + " [" + urgent + "]");
        assertThat(mail.getContent().toString()).isNotEmpty();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> smtp.getReceivedMessages().length == 1);
    }

    @Test
    void aRefusingSmtpServerIsRetriedAndTheFailureShowsInTheOutbox() throws Exception {
        int closed = ServerFixture.freePort(); // nothing listens there: connection refused
        server(closed, Map.of());
        long id = fx.take("mueller", "Frau Weiß", "Bitte zurückrufen", false);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonObject mail = email(fx.message(id));
            assertThat(mail.getString("state")).isEqualTo("pending");
            assertThat(mail.getInteger("attempts")).isGreaterThanOrEqualTo(2);
            assertThat(mail.getString("last_error")).contains("SMTP 127.0.0.1:" + closed);
        });
        JsonArray pending = new JsonArray(fx.send("GET", "/api/v1/outbox?state=pending", null).body());
        assertThat(pending.stream().map(o -> ((JsonObject) o).getString("channel"))).contains("email");
        assertThat(fx.send("GET", "/api/v1/outbox", null).body()).doesNotContain("s3cret-mail");
    }

    @Test
    void anSmtpServerThatDoesNotAnswerTimesOutAndIsRetried() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            server(silent.getLocalPort(), Map.of());
            long id = fx.take("mueller", "Frau Weiß", "Bitte zurückrufen", false);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject mail = email(fx.message(id));
                assertThat(mail.getString("state")).isEqualTo("pending");
                assertThat(mail.getInteger("attempts")).isGreaterThanOrEqualTo(1);
                assertThat(mail.getString("last_error")).isNotNull();
            });
        }
    }

    @Test
    void aServerWithoutStarttlsGetsNoPasswordWhenStarttlsIsRequired() throws Exception {
        server(smtp.getSmtp().getPort(), Map.of(Config.MAIL_STARTTLS, "required"));
        long id = fx.take("mueller", "Frau Weiß", "Bitte zurückrufen", false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(email(fx.message(id)).getString("last_error")).containsIgnoringCase("STARTTLS"));
        assertThat(email(fx.message(id)).getString("state")).isEqualTo("pending");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    private static JsonObject email(JsonObject message) {
        return message.getJsonArray("notifications").stream().map(o -> (JsonObject) o)
                .filter(n -> "email".equals(n.getString("channel"))).findFirst().orElseThrow();
    }

    private String mailTime(long id) throws Exception {
        String created = fx.message(id).getString("created_at");
        return java.time.format.DateTimeFormatter.ofPattern("d MMM HH:mm", java.util.Locale.ENGLISH)
                .format(java.time.Instant.parse(created).atZone(java.time.ZoneId.of("Europe/London")));
    }

    private static void flatten(Part p, List<Part> out) throws Exception {
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                flatten(b, out);
            }
        } else {
            out.add(p);
        }
    }

    private static String uncheckedType(Part p) {
        try {
            return p.getContentType().toLowerCase(java.util.Locale.ROOT);
        } catch (Exception e) {
            return "";
        }
    }

    /** One second of a 440 Hz tone, 8 kHz mono 16-bit, as Asterisk records. */
    static byte[] tone() throws Exception {
        byte[] pcm = new byte[16000];
        for (int i = 0; i < 8000; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat f = new AudioFormat(8000f, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, 8000), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }
}
