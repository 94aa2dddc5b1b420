package de.vorzimmer.asterisk;

import de.vorzimmer.store.Stores;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calls as a carrier delivers them, through the sandbox's sample trunk ({@code pjsip_vorzimmer_trunk.conf},
 * identified by its address): SIPp sends the INVITEs with {@code Diversion:} / {@code History-Info:},
 * {@code P-Asserted-Identity}, {@code Privacy: id} and the caller's RTP (audio, RFC 4733 keys), into the real
 * Asterisk 22 and the real server; the secretary is a real baresip softphone. Asserted: what the secretary's phone
 * was sent (its SIP trace), what Asterisk did (its log), the live call state, what is stored and which SMS went out
 * (Twilio's REST API faked on loopback). Each test places its own calls; those that stop the server start it again.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarrierCallsTest {
    private static final String SERVICE_DID = "+49309990000";
    private static final String MUELLER_LINE = "+49301234567";
    private static final String MEIER_LINE = "+49303333333";
    private static final Duration CALL = Duration.ofSeconds(60);

    private CarrierRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = CarrierRig.start(Files.createTempDirectory("vz-carrier-"));
    }

    @AfterAll
    void stop() {
        if (rig != null) rig.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      Diversion sip: URI               | <sip:+49301234567@carrier.invalid>;reason=unconditional;counter=1 |
      Diversion tel: URI               | <tel:+49301234567>;reason=unconditional                            |
      Diversion national, user=phone   | <sip:0301234567@carrier.invalid;user=phone>;reason=no-answer       |
      History-Info                     |                                                                    | <sip:+49301234567@carrier.invalid>;index=1 & <sip:+49309990000@vz.invalid;cause=302>;index=1.1
    """)
    void aForwardedCallIsForTheClientWhoseLineForwardedIt(String form, String diversion, String historyInfo) {
        String caller = "+4930555010" + (1 + Math.abs(form.hashCode() % 9));
        long log = rig.sandbox.logMark();
        long phone = rig.phoneMark();
        int events = rig.events.size();
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from(caller, SERVICE_DID)
                .withFrom("\"Hans Meier\" <sip:" + caller + "@carrier.invalid;user=phone>")
                .diversion(diversion).historyInfo(historyInfo).hold(Duration.ofSeconds(3)));

        JsonObject ringing = rig.awaitEvent(events, "ringing");
        call.await(CALL);

        assertThat(ringing.getString("client")).isEqualTo("mueller");
        assertThat(ringing.getString("line")).isEqualTo(MUELLER_LINE);
        // the caller's own display name only as what they say; the number first
        String display = "Müller: " + caller + " (sagt: Hans Meier)";
        assertThat(ringing.getString("display")).isEqualTo(display);
        rig.awaitEvent(events, "answered");
        assertThat(rig.phoneSince(phone)).as("the INVITE anna's phone got").contains("From: \"" + display + "\"");
        // REDIRECTING(from-num) as the carrier wrote it; routing reads it with the book's region
        assertThat(rig.sandbox.logSince(log)).containsPattern("VZ_FORWARDED_FROM=(\\+49|0)301234567\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      Privacy id, number only in PAI     | "Anonymous" <sip:anonymous@anonymous.invalid> | <sip:+4930555020@carrier.invalid;user=phone> | id
      Privacy id, number in From too     | <sip:+4930555020@carrier.invalid;user=phone>  | <tel:+4930555020>                              | id;critical
      anonymous From, no PAI             | "Anonymous" <sip:anonymous@anonymous.invalid> |                                                |
    """)
    void aWithheldCallerIsScreenedAsAnonymous(String form, String from, String pai, String privacy) {
        long log = rig.sandbox.logMark();
        long phone = rig.phoneMark();
        int events = rig.events.size();
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("anonymous", SERVICE_DID).withFrom(from).asserted(pai)
                .privacy(privacy).diversion("<sip:+49301234567@carrier.invalid>;reason=unconditional")
                .hold(Duration.ofSeconds(3)));

        JsonObject ringing = rig.awaitEvent(events, "ringing");
        rig.awaitEvent(events, "answered");
        call.await(CALL);

        assertThat(ringing.getString("display")).isEqualTo("Müller: anonym");
        assertThat(ringing.getString("caller")).isEqualTo("anonymous");
        String sentToPhone = rig.phoneSince(phone);
        assertThat(sentToPhone).contains("From: \"Müller: anonym\" <sip:anonymous@");
        assertThat(sentToPhone).doesNotContain("555020");
        assertThat(rig.sandbox.logSince(log)).contains("VZ_WITHHELD=" + (pai == null ? "0" : "1")).doesNotContain("555020");
        JsonObject decision = rig.decisionOf(ringing.getString("callId"));
        assertThat(decision.getJsonObject("caller").getString("class")).isEqualTo("anonymous");
        assertThat(decision.getJsonObject("caller").getString("number")).isEmpty();
    }

    @Test
    void aBlockedCallerHearsGoodbyeAndNothingIsStored() {
        long log = rig.sandbox.logMark();
        int events = rig.events.size();
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+49900123456", MUELLER_LINE).hold(Duration.ofSeconds(20)));

        String sipp = call.await(CALL);
        JsonObject ended = rig.awaitEvent(events, "ended");

        assertThat(ended.getString("stage")).isEqualTo("reject");
        assertThat(rig.decisionOf(ended.getString("callId")).getString("action")).isEqualTo("reject");
        assertThat(rig.sandbox.logSince(log)).contains("Playing 'vm-goodbye.gsm' (language 'de')");
        assertThat(sipp).as("Asterisk hung up, not the caller").contains("BYE sip:");
        assertThat(rig.messages(ended.getString("callId"))).isEmpty();
    }

    @Test
    void aVipIsPutThroughToTheClientsMobile() {
        int events = rig.events.size();
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+49309876543", SERVICE_DID)
                .asserted("\"Labor\" <sip:+49309876543@carrier.invalid;user=phone>")
                .diversion("<sip:+49301234567@carrier.invalid>;reason=unconditional").hold(Duration.ofSeconds(3)));

        JsonObject ringing = rig.awaitEvent(events, "ringing");
        JsonObject answered = rig.awaitEvent(events, "answered");
        call.await(CALL);

        assertThat(ringing.getString("stage")).isEqualTo("put-through");
        assertThat(ringing.getString("display")).isEqualTo("Müller: Labor Schmidt");
        assertThat(answered.getString("answeredBy")).isEqualTo("Local/+491701111111@vorzimmer-reach");
    }

    @Test
    void anUrgentMessageWithAudioIsStoredUnderTheBookNameAndTextedOnce() throws Exception {
        long log = rig.sandbox.logMark();
        int events = rig.events.size();
        // the greeting and "leave a message" take about 9 s; then 4 s of speech (a tone), then silence ends Record
        RtpPcap speech = new RtpPcap().silence(10_000).tone(4_000, 440).silence(6_000);
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+49305554444", SERVICE_DID)
                .withFrom("\"Klein\" <sip:+49305554444@carrier.invalid;user=phone>")
                .diversion("<tel:+49301234567>;reason=unconditional").media(speech).hold(Duration.ofSeconds(40)));

        JsonObject recording = rig.awaitEvent(events, "message");
        call.await(CALL);
        Message m = rig.awaitMessage(recording.getString("callId"), MessageKind.RECORDING);

        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.urgent()).isTrue();
        assertThat(m.callerNumber()).isEqualTo("+49305554444");
        assertThat(m.callerName()).as("the book's name, not the caller's display name").isEqualTo("Notar Klein");
        assertThat(Files.size(Path.of(m.recordingPath()))).as("the caller's audio was recorded").isGreaterThan(8_000);
        assertThat(rig.awaitTheOneSms(m)).startsWith("DRINGEND Müller: Notar Klein, ").endsWith(" Tel. +49305554444");
        String asterisk = rig.sandbox.logSince(log);
        assertThat(asterisk).contains("CHANNEL(language)=de").contains("Playing 'vm-intro.gsm' (language 'de')");
        assertThat(asterisk).containsPattern("Playing '[^']*/tts/tts-[0-9a-f]+\\.[a-z0-9]+' \\(language 'de'\\)");
    }

    @Test
    void anEnglishClientsCallerHearsTheGreetingAndPromptsInEnglish() {
        long log = rig.sandbox.logMark();
        int events = rig.events.size();
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+49305550301", MEIER_LINE)
                .media(new RtpPcap().silence(9_000).tone(2_000, 523).silence(5_000)).hold(Duration.ofSeconds(30)));

        JsonObject recording = rig.awaitEvent(events, "message");
        call.await(CALL);
        Message m = rig.awaitMessage(recording.getString("callId"), MessageKind.RECORDING);

        assertThat(m.clientId()).isEqualTo("meier");
        assertThat(m.urgent()).isFalse();
        String asterisk = rig.sandbox.logSince(log);
        assertThat(asterisk).contains("CHANNEL(language)=en").contains("Playing 'vm-intro.gsm' (language 'en')")
                .containsPattern("Playing '[^']*/tts/tts-[0-9a-f]+\\.[a-z0-9]+' \\(language 'en'\\)");
    }

    @Test
    void anUrgentMessageLeftWhileTheServerWasDownIsDecidedAsAtTheCallAndTextedOnce() throws Exception {
        Map<String, String> globals = Map.of("VZ_FALLBACK_SECRETARIES", "Local/100@vorzimmer-test-noanswer",
                "VZ_FALLBACK_RING", "2");
        Path sidecar;
        String callId;
        rig.stopServer();
        try (CarrierRig.Globals g = rig.globals(globals)) {
            long log = rig.sandbox.logMark();
            // 2 s of fallback ringing, then the trunk's German "leave a message" (the server is not there to say
            // whose line it is), then the caller speaks
            Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+49305554445", SERVICE_DID)
                    .asserted("\"Klein\" <sip:+49305554445@carrier.invalid;user=phone>")
                    .diversion("<sip:+49301234567@carrier.invalid>;reason=unconditional")
                    .media(new RtpPcap().silence(9_000).tone(3_000, 440).silence(6_000)).hold(Duration.ofSeconds(40)));
            call.await(CALL);
            callId = rig.sidecarSince(log);
            sidecar = rig.sandbox.recordings().resolve("vz-" + callId + ".txt");
            Sandbox.await(Duration.ofSeconds(10), "sidecar " + sidecar, () -> Files.exists(sidecar));
        } finally {
            rig.startServer();
        }
        String text = Files.readString(sidecar);
        assertThat(text).contains("fallback=1").contains("urgent=0").contains("client=\n");

        Message m = rig.awaitMessage(callId, MessageKind.RECORDING);

        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.urgent()).as("urgent as the client's rule makes a live call from Notar Klein").isTrue();
        assertThat(m.callerName()).isEqualTo("Notar Klein");
        assertThat(m.line()).isEqualTo(MUELLER_LINE);
        assertThat(rig.awaitTheOneSms(m)).startsWith("DRINGEND Müller: Notar Klein, ").endsWith(" Tel. +49305554445");
        assertThat(rig.server.asterisk().scanNow().get()).isZero();
        assertThat(rig.messages(callId)).hasSize(1);
    }

    @Test
    void theClientPhonesInThroughTheTrunkWithAWholePin() {
        Instant before = Instant.now();
        long log = rig.sandbox.logMark();
        int lines = rig.logLines().size();
        // PIN and # while the welcome plays, then 2 (available now) in the menu, then 9 (goodbye)
        RtpPcap keys = new RtpPcap().silence(2_000).keys("4711#", 120, 150).silence(4_000).keys("2", 120, 6_000)
                .keys("9", 120, 8_000);
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+491701111111", rig.phoneInNumber())
                .asserted("<sip:+491701111111@carrier.invalid;user=phone>").media(keys).hold(Duration.ofSeconds(40)));

        String sipp = call.await(Duration.ofSeconds(90));

        List<Override> set = Stores.on(rig.server.database()).overrides().all().stream()
                .filter(o -> o.clientId().equals("mueller") && o.setAt().isAfter(before.minusSeconds(1))).toList();
        assertThat(set).as("the status set by the keys 2 after the PIN").hasSize(1);
        assertThat(set.get(0).kind()).isEqualTo(OverrideKind.AVAILABLE);
        assertThat(set.get(0).source()).isEqualTo("phone-in");
        assertThat(rig.logLinesSince(lines)).anyMatch(l -> l.contains("ASK_PIN keys(4) -> MENU"));
        String asterisk = rig.sandbox.logSince(log);
        assertThat(asterisk).contains("vorzimmer-phonein").doesNotContain("phonein AGI failed")
                .doesNotContain("please-try-call-later");
        assertThat(sipp).as("Asterisk hung up after goodbye").contains("BYE sip:");
    }

    @Test
    void aHangUpDuringPinEntryEndsTheDialogQuietly() {
        Instant before = Instant.now();
        int lines = rig.logLines().size();
        int events = rig.logEvents().size();
        // two keys of the PIN, then the caller hangs up while GET DATA waits for the rest
        Sipp.Running call = rig.sipp.call(Sipp.Invite.from("+491701111111", rig.phoneInNumber())
                .media(new RtpPcap().silence(2_000).keys("47", 120, 150)).hold(Duration.ofMillis(3_500)));

        call.await(CALL);
        Sandbox.await(Duration.ofSeconds(10), "the dialog's hang-up line",
                () -> rig.logLinesSince(lines).stream().anyMatch(l -> l.contains("ASK_PIN hangup -> DONE")));

        List<String> phoneIn = rig.logLinesSince(lines).stream().filter(l -> l.contains("phone-in [asterisk")).toList();
        assertThat(phoneIn).as("one line for the call's start, one for the hang-up").hasSize(2);
        assertThat(rig.logEventsSince(events)).filteredOn(e -> e.getLoggerName().contains("PhoneIn")
                        || e.getLoggerName().contains("FastAgi") || e.getLoggerName().startsWith("org.asteriskjava"))
                .noneMatch(e -> e.getThrowableProxy() != null)
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        assertThat(Stores.on(rig.server.database()).overrides().all()).noneMatch(o -> o.setAt().isAfter(before));
    }
}
