package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.config.Config;
import de.vorzimmer.escalation.EscalationView;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escalation chain on the real Asterisk of {@code scripts/asterisk-sandbox} with baresip softphones as the
 * mobiles of the people on call ({@code +49 170 1111111} rings {@code PJSIP/anna}, {@code +49 171 2222222}
 * {@code PJSIP/ben}, through {@code vorzimmer-reach} and the sandbox's {@code vorzimmer-test-softphone} trunk). A
 * caller leaves an urgent message on the PBX; its SMS goes out (to the local Twilio stand-in); nobody replies; the
 * server originates the call-out, the softphone answers, the {@code callout} script reads the message and the
 * softphone's DTMF 1 confirms it.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsteriskEscalationTest {
    static final String MUELLER = "+491701111111";
    static final String SCHULZ = "+491712222222";
    static final String BOOK = """
            version: 1
            defaults: { region: DE, timezone: Europe/Berlin, language: de }
            secretaries:
              - { id: nobody, name: Niemand, endpoint: "Local/100@vorzimmer-test-noanswer", languages: [de] }
            clients:
            """ + TestClients.MUELLER + """
                hours: [ { days: mon-sun, from: "00:00", to: "24:00" } ]
                contacts:
                  - { name: Labor Schmidt, numbers: ["030 9876543"], class: vip }
                rules:
                  - { if: { contact: Labor Schmidt }, then: message, urgent: true }
                oncall:
                  - { name: Dr. Müller, number: "+49 170 1111111" }
                  - { name: Dr. Schulz, number: "+49 171 2222222" }
                escalation: { after: 3s, ring: 10s, rounds: 1 }
            """;

    @TempDir
    static Path dir;
    private Sandbox sandbox;
    private FakeTwilio sms;
    private VorzimmerServer server;
    private Database db;
    private ManagerConnection ami;
    private final AtomicInteger callNo = new AtomicInteger();
    private int agiPort;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.ensureUp();
        // recordings earlier runs left in the sandbox would be imported as urgent messages with chains of their own
        try (java.util.stream.Stream<Path> old = java.nio.file.Files.list(sandbox.recordings())) {
            for (Path f : old.filter(p -> p.getFileName().toString().matches("vz-.*\\.(txt|wav)")).toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
        sms = new FakeTwilio();
        Path file = dir.resolve("vz.db");
        try (Database d = Database.open(file)) {
            new BookStore(d, new PinHasher()).save(BookLoader.load(BOOK, new PinHasher()), "test", Instant.now());
        }
        agiPort = Sandbox.freePort();
        Map<String, String> o = sandbox.serverSettings(file, agiPort);
        // SMS through Twilio's SDK to the local stand-in; no public URL: call-outs go through Asterisk
        o.putAll(sms.smsSettings("asterisk-escalation-token"));
        server = VorzimmerServer.start(Config.load(null, Map.of(), o), false, Clock.systemUTC());
        db = server.database();
        Sandbox.await(Duration.ofSeconds(15), "AMI logged in", () -> server.asterisk().amiConnected());
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + agiPort);
        sandbox.setGlobal("VZ_TRUNK", "vorzimmer-test-softphone");
        ami = new ManagerConnectionFactory("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret())
                .createManagerConnection();
        ami.login("off");
    }

    @AfterEach
    void phonesDown() {
        sandbox.stopSoftphone("anna");
        sandbox.stopSoftphone("ben");
    }

    @AfterAll
    void stop() {
        sandbox.setGlobal("VZ_TRUNK", "vorzimmer-test-reach");
        sandbox.setGlobal("VZ_AGI_HOST", sandbox.status.get("agi"));
        if (ami != null) ami.logoff();
        if (server != null) server.close();
        if (sms != null) sms.close();
    }

    @Test
    void theCallOutRingsThePersonOnCallWhoseKeyOneConfirmsAndTheChainStops() throws Exception {
        EscalationView confirmed = annaTakesTheCallOutAndConfirms();
        long id = confirmed.messageId();
        assertThat(confirmed.steps()).extracting(s -> s.person() + " " + s.channel() + " " + s.outcome())
                .containsExactly("Dr. Müller sms null", "Dr. Müller call confirmed");
        assertThat(messages().get(id).orElseThrow().state().word()).isEqualTo("read");
        // the chain stops: nobody else is called
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .until(() -> view(id).steps().size() == 2 && "confirmed".equals(view(id).status().word()));
    }

    @Test
    void whenTheFirstPersonDoesNotAnswerTheBackupIsCalledAndConfirms() throws Exception {
        sandbox.startRingingSoftphone("anna");
        sandbox.startSoftphone("ben");
        long id = leaveUrgentMessage();
        awaitSms(id);

        await().atMost(Duration.ofSeconds(60)).until(() -> view(id).steps().stream()
                .anyMatch(s -> s.step() == 1 && s.outcome() != null));
        assertThat(view(id).steps().get(1).outcome()).as("anna let it ring").isEqualTo("no-answer");
        EscalationView confirmed = confirmWithKeyOne("ben", id);

        assertThat(confirmed.confirmedBy()).isEqualTo("call:" + SCHULZ);
        assertThat(confirmed.steps()).extracting(s -> s.person() + " " + s.channel() + " " + s.outcome())
                .containsExactly("Dr. Müller sms null", "Dr. Müller call no-answer", "Dr. Schulz call confirmed");
    }

    /**
     * The call-out's script is asked like the route script, each FastAGI node of {@code VZ_AGI_HOSTS} in turn: with the
     * first node dead (a closed port; {@code VZ_AGI_HOST} dead too, so only the list leads to the live node), the
     * call-out still reaches this server, reads the message and takes the key.
     */
    @Test
    void aCallOutWhoseFirstFastAgiNodeIsDeadIsCarriedOutByTheNextNode() throws Exception {
        int dead = Sandbox.freePort();
        String live = "127.0.0.1:" + agiPort;
        long mark = sandbox.logMark();
        setGlobal("VZ_AGI_HOST", "127.0.0.1:" + dead);
        setGlobal("VZ_AGI_HOSTS", "127.0.0.1:" + dead + "&" + live);
        try {
            annaTakesTheCallOutAndConfirms();
            assertThat(sandbox.logSince(mark)).as("the dead node was asked first for the call-out's script")
                    .contains("FastAGI 127.0.0.1:" + dead + "/callout failed");
        } finally {
            setGlobal("VZ_AGI_HOSTS", "");
            setGlobal("VZ_AGI_HOST", live);
        }
    }

    /** Sets a dialplan global through AMI (which, unlike the CLI, can set one to the empty string). */
    private void setGlobal(String name, String value) throws Exception {
        ManagerResponse r = ami.sendAction(new SetVarAction(name, value), 10_000);
        assertThat(r.getResponse()).as("Setvar " + name + ": " + r.getMessage()).isEqualToIgnoringCase("Success");
    }

    /** Presses 1 on {@code phone} until the message is confirmed (the key only counts once the message is read). */
    /**
     * An urgent message, its SMS, then the call-out to Dr. Müller's first number, which rings anna's softphone: she
     * answers and presses 1, so the message is confirmed by that call.
     */
    private EscalationView annaTakesTheCallOutAndConfirms() throws Exception {
        sandbox.startSoftphone("anna");
        long id = leaveUrgentMessage();
        awaitSms(id);

        EscalationView confirmed = confirmWithKeyOne("anna", id);

        assertThat(confirmed.confirmedVia()).isEqualTo("call");
        assertThat(confirmed.confirmedBy()).isEqualTo("call:" + MUELLER);
        return confirmed;
    }

    private EscalationView confirmWithKeyOne(String phone, long id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            if (view(id).steps().stream().anyMatch(s -> s.placedAt() != null && s.outcome() == null)) {
                sandbox.softphoneDtmf(phone, "1");
            }
            return "confirmed".equals(view(id).status().word());
        });
        return view(id);
    }

    /** Labor Schmidt calls Dr. Müller's line; the client's rule takes an urgent message; the caller speaks and hangs up. */
    private long leaveUrgentMessage() throws Exception {
        String base = "vzesc" + System.currentTimeMillis() + "-" + callNo.incrementAndGet();
        OriginateAction a = Sandbox.testCall(base, "+49301234567", "+49309876543", "", 4, 4, 30);
        ManagerResponse r = ami.sendAction(a, 10_000);
        if (!"Success".equalsIgnoreCase(r.getResponse())) fail("Originate refused: " + r.getMessage());
        String callId = base + "b";
        await().atMost(Duration.ofSeconds(60)).until(() -> messages().list(MessageFilter.all()).stream()
                .anyMatch(x -> callId.equals(x.callId())));
        Message m = messages().list(MessageFilter.all()).stream().filter(x -> callId.equals(x.callId())).findFirst()
                .orElseThrow();
        assertThat(m.urgent()).isTrue();
        assertThat(m.recordingPath()).endsWith(".wav");
        return m.id();
    }

    private void awaitSms(long id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sms.received().stream().anyMatch(r ->
                MUELLER.equals(r.form().get("To")) && r.form().get("Body").endsWith("OK " + id)));
        assertThat(view(id).status().word()).isEqualTo("running");
    }

    private MessageStore messages() {
        return new MessageStore(db);
    }

    private EscalationView view(long id) {
        return server.escalations().get(id).orElseThrow();
    }
}
