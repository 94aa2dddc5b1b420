package de.vorzimmer.asterisk;

import de.vorzimmer.calls.CallChoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.config.Config;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against the REAL Asterisk 22 of {@code scripts/asterisk-sandbox} and a real baresip softphone
 * registered as {@code PJSIP/anna}. Calls are placed with AMI Originate on {@code Local/s@vorzimmer-test-forward}
 * (the caller side plays {@code vorzimmer-test-caller}); every assertion is on what Asterisk really did: AMI
 * events, the live call state on the event bus, the store and the recordings folder.
 *
 * <p>The scenarios build on each other (anna registered, then stopped, server stopped and started), so they
 * run in order on one server.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsteriskSandboxTest {
    private static final String LINE = "+49301234567";
    private static final String MESSAGE_LINE = "+49301234568";
    private static final String SERVICE_DID = "+49309990000";
    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private Sandbox sandbox;
    private Config config;
    private VorzimmerServer server;
    private ManagerConnection ami;
    private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
    private final List<JsonObject> callbacks = new CopyOnWriteArrayList<>();
    private final List<ManagerEvent> amiEvents = new CopyOnWriteArrayList<>();
    private final AtomicInteger callNo = new AtomicInteger();
    private String savedAgiHost;

    @BeforeAll
    void startEverything() throws Exception {
        sandbox = Sandbox.ensureUp();
        savedAgiHost = "127.0.0.1:4573";
        sandbox.startSoftphone("anna");
        Path db = dir.resolve("vz.db");
        try (Stores store = Stores.open(db, Durability.FULL, new PinHasher());
             InputStream in = getClass().getResourceAsStream("/asterisk/book.yaml")) {
            Book book = BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), new PinHasher());
            store.books().save(book, "asterisk test", Instant.now());
        }
        int agiPort = Sandbox.freePort();
        config = Config.load(null, Map.of(), sandbox.serverSettings(db, agiPort));
        startServer();
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + agiPort);

        ami = new ManagerConnectionFactory("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret())
                .createManagerConnection();
        ami.addEventListener(amiEvents::add);
        ami.login("on");
    }

    /**
     * Every scenario starts from the same place, whatever ran before it: the server up with AMI logged in, the dialplan
     * asking this server's FastAGI, and Anna's softphone registered and on duty (Ben never registers).
     */
    @BeforeEach
    void everyScenarioStartsFromTheSamePlace() throws Exception {
        if (server == null) startServer();
        Sandbox.await(Duration.ofSeconds(30), "AMI logged in", () -> server.asterisk().amiConnected());
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + server.agiPort());
        sandbox.startSoftphone("anna");
        Sandbox.await(Duration.ofSeconds(20), "anna on duty", () -> !server.routing().snapshot().offDuty().contains("anna"));
    }

    private void startServer() throws Exception {
        server = VorzimmerServer.start(config, false, Clock.systemUTC());
        server.vertx().eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> calls.add(m.body()));
        server.vertx().eventBus().<JsonObject>consumer(CallbackResult.ADDRESS, m -> callbacks.add(m.body()));
        Sandbox.await(Duration.ofSeconds(15), "AMI logged in", () -> server.asterisk().amiConnected());
    }

    @AfterAll
    void cleanUp() {
        sandbox.stopSoftphone("anna");
        if (ami != null) ami.logoff();
        if (server != null) server.close();
        sandbox.setGlobal("VZ_AGI_HOST", savedAgiHost);
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void unregisteredSecretaryIsOffDutyAfterConnect() {
        Sandbox.await(Duration.ofSeconds(10), "ben (never registered) off duty from device state",
                () -> Stores.on(server.database()).duty().offDuty().contains("ben"));
        assertThat(Stores.on(server.database()).duty().offDuty()).doesNotContain("anna");
    }

    /** vorzimmer test-call: on the stock dialplan, without the sandbox's test contexts, a forwarded call is decided. */
    @Test
    void theTestCallCommandEntersVorzimmerInAsACarriersCallWould() throws Exception {
        AmiService.Settings settings = new AmiService.Settings("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret());
        TestCall.Placed placed = TestCall.place(settings, SERVICE_DID, "+49305550000", LINE, 2);
        assertThat(placed.channel()).isEqualTo("Local/" + SERVICE_DID + "@vorzimmer-in");
        JsonObject ringing = awaitState(placed.callId(), "ringing");
        assertThat(ringing.getString("client")).isEqualTo("mueller");
        assertThat(ringing.getString("line")).isEqualTo(LINE);
        assertThat(ringing.getString("caller")).isEqualTo("+49305550000");
        Sandbox.await(CALL, "the call log holds the test call's decision", () ->
                !new de.vorzimmer.calls.CallLogStore(server.database()).find(null, placed.callId(), null, 1).isEmpty());
        assertThat(new de.vorzimmer.calls.CallLogStore(server.database()).find(null, placed.callId(), null, 1).get(0).clientId())
                .isEqualTo("mueller");
    }

    @Test
    void screenedCallRingsTheSoftphoneWhichAnswers() {
        long mark = sandbox.logMark();
        String callId = call(SERVICE_DID, "+49305550000", LINE, 1, 2);
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getString("client")).isEqualTo("mueller");
        assertThat(ringing.getString("display")).isEqualTo("Müller: +49305550000");
        assertThat(ringing.getJsonArray("targets").getList()).contains("PJSIP/anna").doesNotContain("PJSIP/ben");
        JsonObject answered = awaitState(callId, "answered");
        assertThat(answered.getString("answeredBy")).isEqualTo("PJSIP/anna");
        awaitState(callId, "ended");
        String log = sandbox.logSince(mark);
        assertThat(log).contains("CALLERID(name)=Müller: +49305550000");
        assertThat(log).containsPattern("PJSIP/anna-[0-9a-f]{8} answered");
        assertThat(states(callId)).doesNotContain("missed");
    }

    @Test
    void putThroughDialsTheReachContextAndTheFakeMobileAccepts() {
        String callId = call(SERVICE_DID, "+49309876543", LINE, 1, 3);
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getString("stage")).isEqualTo("put-through");
        assertThat(ringing.getJsonArray("targets").getList()).containsExactly("Local/+491701111111@vorzimmer-reach");
        Sandbox.await(CALL, "AMI DialBegin to +491701111111@vorzimmer-reach", () -> amiEvents.stream()
                .anyMatch(e -> e instanceof DialBeginEvent d && callId.equals(d.getUniqueId())
                        && "+491701111111@vorzimmer-reach".equals(d.getDialString())));
        JsonObject answered = awaitState(callId, "answered");
        assertThat(answered.getString("answeredBy")).isEqualTo("Local/+491701111111@vorzimmer-reach");
        awaitState(callId, "ended");
    }

    @Test
    void messageCallStoresTheRecording() throws Exception {
        // the caller speaks after the client's greeting and the German "leave a message" (about 9 s)
        String callId = call(SERVICE_DID, "+49305551111", MESSAGE_LINE, 12, 4);
        JsonObject recording = awaitState(callId, "message");
        awaitState(callId, "ended");
        Message m = awaitMessage(callId, MessageKind.RECORDING);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.urgent()).isTrue();
        assertThat(m.callerNumber()).isEqualTo("+49305551111");
        assertThat(m.line()).isEqualTo(MESSAGE_LINE);
        assertThat(m.recordingPath()).isEqualTo(recording.getString("recording"));
        Path wav = Path.of(m.recordingPath());
        assertThat(wav).exists();
        assertThat(Files.size(wav)).isGreaterThan(44);
        assertThat(wav.resolveSibling("vz-" + callId + ".txt")).exists();
    }

    @Test
    void stoppedSoftphoneTakesAnnaOffDutyAndTheNextRouteSkipsHer() {
        sandbox.stopSoftphone("anna");
        Sandbox.await(Duration.ofSeconds(20), "anna off duty after her softphone stopped",
                () -> Stores.on(server.database()).duty().offDuty().contains("anna"));
        Sandbox.await(Duration.ofSeconds(5), "routing sees anna off duty",
                () -> server.routing().snapshot().offDuty().contains("anna"));
        // screen call: only the never-answering test secretary rings; the caller gives up after 4 s
        String callId = call(SERVICE_DID, "+49305552222", LINE, 1, 0, 4);
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getJsonArray("targets").getList()).containsExactly("Local/100@vorzimmer-test-noanswer");
        JsonObject missed = awaitState(callId, "missed");
        assertThat(missed.getLong("messageId")).isPositive();
        Message m = awaitMessage(callId, MessageKind.MISSED);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.callerNumber()).isEqualTo("+49305552222");
        assertThat(m.recordingPath()).isNull();
    }

    @Test
    void serverDownFallbackRecordsAndTheSidecarIsImportedOnStart() throws Exception {
        server.close();
        server = null;
        // no secretary can answer: Anna's softphone goes too (Ben never registers; the next scenario starts Anna again)
        sandbox.stopSoftphone("anna");
        Sandbox.await(Duration.ofSeconds(20), "anna's contact gone from Asterisk",
                () -> !sandbox.cli("pjsip show contacts").contains("anna/"));
        long mark = sandbox.logMark();
        // connection refused: the dialplan rings the fallback secretaries (anna, ben: both unregistered) and records
        String callId = call(SERVICE_DID, "+49305553333", LINE, 5, 4);
        Path sidecar = sandbox.recordings().resolve("vz-" + callId + ".txt");
        Sandbox.await(CALL, "sidecar " + sidecar + " written by the fallback path", () -> Files.exists(sidecar));
        String log = sandbox.logSince(mark);
        assertThat(log).contains("route AGI failed");
        assertThat(Files.readString(sidecar)).contains("fallback=1");
        startServer();
        Message m = awaitMessage(callId, MessageKind.RECORDING);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.line()).isEqualTo(LINE);
        assertThat(Path.of(m.recordingPath())).exists();
        // a second scan stores nothing twice
        assertThat(server.asterisk().scanNow().get()).isZero();
        assertThat(messages(callId)).hasSize(1);
    }

    @Test
    void callbackRingsTheSecretaryThenTheCaller() throws Exception {
        PendingCallback pending = server.asterisk().callback("anna", "0170 1111111");
        assertThat(pending.number()).isEqualTo("+491701111111");
        CallbackResult r = pending.result().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.connected()).as("outcome %s", r.outcome()).isTrue();
        Sandbox.await(Duration.ofSeconds(5), "callback result on the event bus",
                () -> callbacks.stream().anyMatch(c -> pending.id().equals(c.getString("id"))));
        Sandbox.await(CALL, "callback dialled the caller through vorzimmer-reach", () -> amiEvents.stream()
                .anyMatch(e -> e instanceof DialBeginEvent d && "+491701111111@vorzimmer-test-reach".equals(d.getDialString())));
    }

    @Test
    void amiReconnectsAfterAsteriskRestartsAndPlainCallsAreTracked() throws Exception {
        sandbox.stopSoftphone("anna");
        sandbox.restart();
        Sandbox.await(Duration.ofSeconds(30), "AMI reconnected", () -> server.asterisk().amiConnected());
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + server.agiPort());
        if (!ami.getState().equals(org.asteriskjava.manager.ManagerConnectionState.CONNECTED)) {
            Sandbox.await(Duration.ofSeconds(30), "test AMI reconnected",
                    () -> ami.getState() == org.asteriskjava.manager.ManagerConnectionState.CONNECTED);
        }
        // plain call (no redirecting number) straight to the client's line; anna is gone, nobody answers
        String callId = call(LINE, "+49305554444", "", 1, 0, 4);
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getString("client")).isEqualTo("mueller");
        assertThat(ringing.getString("line")).isEqualTo(LINE);
        awaitState(callId, "missed");
    }

    @Test
    void secretaryPutsARingingCallThroughFromTheConsole() {
        sandbox.stopSoftphone("anna");
        Sandbox.await(Duration.ofSeconds(20), "routing sees anna off duty",
                () -> server.routing().snapshot().offDuty().contains("anna"));
        // screened to the secretary who never answers; she presses "put through" in the console
        String callId = call(SERVICE_DID, "+49305556666", LINE, 1, 3, 40);
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getString("stage")).isEqualTo("screen");

        JsonObject reply = choose(callId, "put-through");

        assertThat(reply.getString("done")).isEqualTo("put through to +491701111111");
        Sandbox.await(CALL, "AMI DialBegin to the client's mobile after the redirect", () -> amiEvents.stream()
                .anyMatch(e -> e instanceof DialBeginEvent d && callId.equals(d.getUniqueId())
                        && "+491701111111@vorzimmer-reach".equals(d.getDialString())));
        JsonObject answered = awaitState(callId, "answered");
        assertThat(answered.getString("answeredBy")).isEqualTo("Local/+491701111111@vorzimmer-reach");
    }

    @Test
    void secretarySendsARingingCallToVoicemailFromTheConsole() {
        // the call rings at the secretary who never answers (Anna's softphone would answer by itself)
        sandbox.stopSoftphone("anna");
        Sandbox.await(Duration.ofSeconds(20), "routing sees anna off duty",
                () -> server.routing().snapshot().offDuty().contains("anna"));
        // the caller speaks after the greeting (as in the message test): 12 s, then 4 s more before hanging up
        String callId = call(SERVICE_DID, "+49305557777", LINE, 12, 4, 40);
        awaitState(callId, "ringing");

        JsonObject reply = choose(callId, "voicemail");

        assertThat(reply.getString("done")).isEqualTo("sent to voicemail");
        awaitState(callId, "message");
        Message m = awaitMessage(callId, MessageKind.RECORDING);
        assertThat(m.clientId()).isEqualTo("mueller");
        assertThat(m.callerNumber()).isEqualTo("+49305557777");
    }

    @Test
    void aChoiceForACallThatIsNotRingingIsRefused() throws Exception {
        Throwable refused = server.vertx().eventBus()
                .request(CallChoices.ASTERISK_ADDRESS, new JsonObject().put("callId", "no-such-call").put("choice", "voicemail"))
                .toCompletionStage().toCompletableFuture()
                .handle((r, e) -> e).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refused).isNotNull().hasMessageContaining("no call 'no-such-call' in progress");
    }

    // ---------------------------------------------------------------- helpers

    /** What the console sends when a secretary presses a button on the screen-pop card. */
    private JsonObject choose(String callId, String choice) {
        try {
            return server.vertx().eventBus()
                    .<JsonObject>request(CallChoices.ASTERISK_ADDRESS, new JsonObject().put("callId", callId).put("choice", choice)
                            .put("by", "anna"))
                    .toCompletionStage().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS).body();
        } catch (Exception e) {
            return fail("choice " + choice + " for call " + callId + " failed: " + e);
        }
    }

    /**
     * Originates a call into {@code vorzimmer-test-forward}; the caller side waits {@code delay} s, says
     * hello-world, waits {@code hold} s and hangs up. Returns the call id (the unique id we give the channel that
     * runs {@code vorzimmer-in}).
     */
    private String call(String to, String from, String forwardedFrom, int delay, int hold) {
        return call(to, from, forwardedFrom, delay, hold, 30);
    }

    /** As above; the caller gives up after {@code ringSeconds} if nobody answered by then (Originate timeout). */
    private String call(String to, String from, String forwardedFrom, int delay, int hold, int ringSeconds) {
        String base = "vzt" + System.currentTimeMillis() + "-" + callNo.incrementAndGet();
        Sandbox.originate(ami, Sandbox.testCall(base, to, from, forwardedFrom, delay, hold, ringSeconds));
        return base + "b";
    }

    private JsonObject awaitState(String callId, String state) {
        return CallUpdates.await(calls, callId, state, CALL);
    }

    private Optional<JsonObject> find(String callId, String state) {
        return CallUpdates.find(calls, callId, state);
    }

    private List<String> states(String callId) {
        return CallUpdates.states(calls, callId);
    }

    private List<Message> messages(String callId) {
        return Stores.on(server.database()).messages().list(MessageFilter.all().limit(1000)).stream()
                .filter(m -> callId.equals(m.callId())).toList();
    }

    private Message awaitMessage(String callId, MessageKind kind) {
        Sandbox.await(CALL, kind.word() + " message for call " + callId,
                () -> messages(callId).stream().anyMatch(m -> m.kind() == kind));
        return messages(callId).stream().filter(m -> m.kind() == kind).findFirst().orElseThrow();
    }
}
