package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.cli.InProcessCli;
import de.vorzimmer.cluster.LeaseStore;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.AuthHandler;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.console.Role;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewExtenEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secretary's console on node B, the real Asterisk's calls followed by node A (the holder of the PBX's lease), both
 * nodes in one JVM on one PostgreSQL database: her choice on a ringing call, posted to node B's API, is carried to
 * node A and carried out by the PBX (as its AMI events show), and node B's console gets node A's answer: what it did,
 * or the PBX's refusal.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodeChoicesTest {
    private static final String LINE = "+49301234567";
    private static final String SERVICE_DID = "+49309990000";
    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private Sandbox sandbox;
    private VorzimmerServer a;
    private VorzimmerServer b;
    private ManagerConnection ami;
    private String pbxLease;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConsoleServer.Session annaOnB;
    private final List<JsonObject> callsOnB = new CopyOnWriteArrayList<>();
    private final List<ManagerEvent> amiEvents = new CopyOnWriteArrayList<>();
    private final AtomicInteger callNo = new AtomicInteger();

    @BeforeAll
    void twoNodesOnThePbx() throws Exception {
        sandbox = Sandbox.ensureUp();
        // nobody answers: anna's and ben's phones are not registered, so the screen rings the never-answering endpoint
        sandbox.stopSoftphone("anna");
        Database.Target db = TestPostgres.newDatabase("choices");
        Path book = dir.resolve("book.yaml");
        try (InputStream in = getClass().getResourceAsStream("/asterisk/book.yaml")) {
            Files.write(book, in.readAllBytes());
        }
        assertThat(InProcessCli.run("import", book.toString(), "--db", db.location())).isZero();
        pbxLease = "pbx 127.0.0.1:" + sandbox.amiPort();

        a = node("node-a", db);
        try (Database store = Database.open(db, de.vorzimmer.store.Durability.FULL)) {
            assertThat(new LeaseStore(store).get(pbxLease)).as("the PBX's lease")
                    .hasValueSatisfying(l -> assertThat(l.holder()).isEqualTo("node-a"));
        }
        b = node("node-b", db);
        b.vertx().eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> callsOnB.add(m.body()));
        Sandbox.await(Duration.ofSeconds(15), "AMI logged in on both nodes",
                () -> a.asterisk().amiConnected() && b.asterisk().amiConnected());
        assertThat(b.asterisk().acting()).as("node B only follows the PBX").isFalse();
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + a.agiPort());
        Sandbox.await(Duration.ofSeconds(20), "anna and ben off duty (their phones are not registered)",
                () -> a.routing().snapshot().offDuty().containsAll(List.of("anna", "ben")));

        a.consoleAuth().setUser("anna", Role.SECRETARY, "anna", "Anna Weber", "anna-on-node-b", false);
        annaOnB = login(b, "anna", "anna-on-node-b");

        ami = new ManagerConnectionFactory("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret())
                .createManagerConnection();
        ami.addEventListener(amiEvents::add);
        ami.login("on");
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.setGlobal("VZ_AGI_HOST", sandbox.status.get("agi"));
        if (ami != null) ami.logoff();
        if (b != null) b.close();
        if (a != null) a.close();
    }

    private VorzimmerServer node(String name, Database.Target db) throws Exception {
        int agi;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            agi = s.getLocalPort();
        }
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, db.location());
        o.put(Config.NODE_NAME, name);
        o.put(Config.PIN_PEPPER_FILE, dir.resolve("pin-pepper.key").toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, Integer.toString(agi));
        o.put(Config.AMI_HOST, "127.0.0.1");
        o.put(Config.AMI_PORT, Integer.toString(sandbox.amiPort()));
        o.put(Config.AMI_USER, sandbox.amiUser());
        o.put(Config.AMI_SECRET, sandbox.amiSecret());
        return VorzimmerServer.start(Config.load(null, Map.of(), o), false, Clock.systemUTC());
    }

    @Test
    void aChoiceOnTheNodeWithoutThePbxIsCarriedOutByTheHolderAndItsConsoleHearsWhatWasDone() throws Exception {
        // the caller speaks after the greeting, then waits: the call rings long enough for the choice
        String callId = call("+49305557777", 12, 4, 40);
        Sandbox.await(CALL, "call " + callId + " ringing on node B's feed", () -> stateOnB(callId, "ringing"));

        HttpResponse<String> chosen = choose(annaOnB, callId, "voicemail");

        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
        JsonObject reply = new JsonObject(chosen.body());
        assertThat(reply.getBoolean("carriedOut")).as(chosen.body()).isTrue();
        assertThat(reply.getString("done")).isEqualTo("sent to voicemail");
        // the PBX moved the call: its channel went on in the message stage, and node B's console heard it
        Sandbox.await(CALL, "AMI Newexten vorzimmer-act,message on " + callId, () -> amiEvents.stream()
                .anyMatch(e -> e instanceof NewExtenEvent x && callId.equals(x.getUniqueId())
                        && "vorzimmer-act".equals(x.getContext()) && "message".equals(x.getExtension())));
        Sandbox.await(CALL, "call " + callId + " in the message stage on node B's feed", () -> stateOnB(callId, "message"));
        assertThat(a.asterisk().acting()).as("node A acts on the PBX").isTrue();
        assertThat(b.asterisk().acting()).as("node B only follows it").isFalse();
    }

    @Test
    void thePbxsRefusalReachesTheConsoleOnTheOtherNodeAndTheCallIsFreeAgain() throws Exception {
        String gone = "1764400000." + (900 + callNo.incrementAndGet());

        HttpResponse<String> refused = choose(annaOnB, gone, "put-through");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        JsonObject reply = new JsonObject(refused.body());
        assertThat(reply.getBoolean("carriedOut")).isFalse();
        assertThat(reply.getString("reason")).isEqualTo("no call '" + gone + "' in progress");
        assertThat(new CallChoiceStore(b.database()).claimOf(gone)).as("the call given back").isEmpty();
    }

    private boolean stateOnB(String callId, String state) {
        return callsOnB.stream().anyMatch(c -> callId.equals(c.getString("callId")) && state.equals(c.getString("state")));
    }

    private ConsoleServer.Session login(VorzimmerServer node, String user, String password) throws Exception {
        return ConsoleServer.login(http, "http://127.0.0.1:" + node.httpPort(), user, password);
    }

    private HttpResponse<String> choose(ConsoleServer.Session session, String callId, String choice) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + "/api/v1/calls/" + callId
                        + "/choice")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Cookie", session.cookie()).header(AuthHandler.CSRF_HEADER, session.csrf())
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("choice", choice).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A call forwarded from Dr. Müller's line into {@code vorzimmer-in} (as in {@link AsteriskSandboxTest}); the caller
     * waits {@code delay} s, speaks, waits {@code hold} s and hangs up, or gives up after {@code ringSeconds}. Returns
     * the call id.
     */
    private String call(String from, int delay, int hold, int ringSeconds) throws Exception {
        String base = "vztn" + System.currentTimeMillis() + "-" + callNo.incrementAndGet();
        ManagerResponse r = ami.sendAction(Sandbox.testCall(base, SERVICE_DID, from, LINE, delay, hold, ringSeconds),
                10_000);
        if (!"Success".equalsIgnoreCase(r.getResponse())) fail("Originate refused: " + r.getMessage());
        return base + "b";
    }
}
