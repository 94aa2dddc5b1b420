package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.console.Chromium;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.Role;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Database;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two secretaries of a firm on the real Asterisk of {@code scripts/asterisk-sandbox}: Anna and Ben are on duty with
 * baresip softphones that ring and never answer, and logged into the console in two headless Chromium sessions. A
 * caller rings a client line whose decision is {@code screen}: both softphones ring and both consoles pop the card.
 * Anna puts the call through in her browser; Asterisk moves the caller to the client's mobile (the sandbox's fake
 * mobile accepts the whisper). Ben's card says at once that Anna took it and offers no buttons; his late choice is
 * refused with Anna's name. The caller hangs up (AMI Hangup): both ringing lists are empty within a second of the
 * PBX reporting it. Every state the consoles show comes from what Asterisk reported over AMI.
 */
@Tag("asterisk")
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoSecretariesAsteriskBrowserTest {
    private static final String LINE = "+49301234567";
    private static final String SERVICE_DID = "+49309990000";
    private static final String PASSWORD = "two-secretaries-on-asterisk";
    /** How long the caller's phone may ring before the caller gives up by itself: longer than the scenario takes. */
    private static final Duration CALLER_PATIENCE = Duration.ofSeconds(120);
    private static final String BOOK = """
            version: 1
            defaults:
              region: DE
              timezone: Europe/Berlin
              language: de
              ring-seconds: { put-through: 20, screen: 120 }
            secretaries:
              - { id: anna, name: Anna Weber, endpoint: PJSIP/anna, languages: [de] }
              - { id: ben, name: Ben Krüger, endpoint: PJSIP/ben, languages: [de] }
            clients:
            """ + TestClients.MUELLER + """
                greeting: "Zahnarztpraxis Dr. Müller, guten Tag."
                hours: [ { days: mon-sun, from: "00:00", to: "24:00" } ]
            """;

    @TempDir
    static Path dir;
    private Sandbox sandbox;
    private VorzimmerServer server;
    private ManagerConnection ami;
    private WebDriver anna;
    private WebDriver ben;
    private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
    /** Channel names by unique id, from the AMI Newchannel events. */
    private final Map<String, String> channels = new ConcurrentHashMap<>();
    /** When the AMI Hangup event of a channel (by unique id) reached this test, in {@link System#nanoTime()}. */
    private final Map<String, Long> hungUp = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.ensureUp();
        Path file = dir.resolve("vz.db");
        try (Database d = Database.open(file)) {
            new BookStore(d, new PinHasher()).save(BookLoader.load(BOOK, new PinHasher()), "test", Instant.now());
        }
        int agiPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            agiPort = s.getLocalPort();
        }
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, file.toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, Integer.toString(agiPort));
        o.put(Config.AMI_HOST, "127.0.0.1");
        o.put(Config.AMI_PORT, Integer.toString(sandbox.amiPort()));
        o.put(Config.AMI_USER, sandbox.amiUser());
        o.put(Config.AMI_SECRET, sandbox.amiSecret());
        o.put(Config.RECORDINGS, sandbox.recordings().toString());
        server = VorzimmerServer.start(Config.load(null, Map.of(), o), false, Clock.systemUTC());
        server.vertx().eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> calls.add(m.body()));
        server.consoleAuth().setUser("anna", Role.SECRETARY, "anna", "Anna Weber", PASSWORD, false);
        server.consoleAuth().setUser("ben", Role.SECRETARY, "ben", "Ben Krüger", PASSWORD, false);
        Sandbox.await(Duration.ofSeconds(15), "AMI logged in", () -> server.asterisk().amiConnected());
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + agiPort);

        ami = new ManagerConnectionFactory("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret())
                .createManagerConnection();
        ami.addEventListener(e -> {
            if (e instanceof NewChannelEvent n && n.getUniqueId() != null) channels.put(n.getUniqueId(), n.getChannel());
            if (e instanceof HangupEvent h && h.getUniqueId() != null) hungUp.putIfAbsent(h.getUniqueId(), System.nanoTime());
        });
        ami.login("on");

        // both on duty: their phones registered (device state), ringing without answering
        sandbox.startRingingSoftphone("anna");
        sandbox.startRingingSoftphone("ben");
        Sandbox.await(Duration.ofSeconds(20), "anna and ben on duty", () -> {
            var offDuty = server.routing().snapshot().offDuty();
            return !offDuty.contains("anna") && !offDuty.contains("ben");
        });

        anna = Chromium.start(dir, "anna");
        ben = Chromium.start(dir, "ben");
        Chromium.logIn(anna, "http://127.0.0.1:" + server.httpPort(), "anna", PASSWORD);
        Chromium.logIn(ben, "http://127.0.0.1:" + server.httpPort(), "ben", PASSWORD);
    }

    @AfterAll
    void stop() {
        if (anna != null) anna.quit();
        if (ben != null) ben.quit();
        if (sandbox != null) {
            sandbox.stopSoftphone("anna");
            sandbox.stopSoftphone("ben");
            sandbox.setGlobal("VZ_AGI_HOST", sandbox.status.get("agi"));
        }
        if (ami != null) ami.logoff();
        if (server != null) server.close();
    }

    @Test
    void annaPutsTheCallThroughBensCardSaysSoHisLateChoiceIsRefusedAndAfterTheHangUpBothListsAreEmpty() throws Exception {
        String callId = call("+49305558888");

        // the PBX screens the call: it rings at both softphones, both consoles pop the card with the buttons
        JsonObject ringing = awaitState(callId, "ringing");
        assertThat(ringing.getString("stage")).isEqualTo("screen");
        assertThat(ringing.getJsonArray("targets").getList()).containsExactlyInAnyOrder("PJSIP/anna", "PJSIP/ben");
        Sandbox.await(Duration.ofSeconds(10), "both softphones ring", () -> sandbox.cli("core show channels concise")
                .lines().filter(l -> l.startsWith("PJSIP/anna-") || l.startsWith("PJSIP/ben-")).count() == 2);
        for (WebDriver b : List.of(anna, ben)) {
            Chromium.waitUpTo(b, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(button(callId, "put-through")));
        }

        // Anna first takes the message herself: the PBX has nothing to do, the call still rings, so her card says to
        // answer it rather than "done"
        Chromium.waitUpTo(anna, Duration.ofSeconds(5)).until(d -> {
            d.findElement(button(callId, "message")).click();
            return true;
        });
        Chromium.waitUpTo(anna, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector(".call-card[data-call-id='" + callId + "'] .choice")).getText()
                        .equals("Sie nehmen die Nachricht auf: bitte den Anruf am Telefon annehmen"));

        // then she puts it through after all (the holder may choose again), in her browser
        Chromium.waitUpTo(anna, Duration.ofSeconds(5)).until(d -> {
            d.findElement(button(callId, "put-through")).click();
            return true;
        });

        // Ben's card: who took it, no buttons (read again whenever a live update redraws it meanwhile)
        Chromium.waitUpTo(ben, Duration.ofSeconds(3)).withMessage(() -> "Ben's card says Anna took the call and has no buttons")
                .until(d -> Chromium.kicker(d, callId).contains("anna weber nimmt an")
                        && d.findElement(card(callId)).getText().contains("Übernommen von Anna Weber: durchstellen")
                        && d.findElements(By.cssSelector(".call-card[data-call-id='" + callId + "'] button[data-choice]")).isEmpty());
        List<Rule> bad = new AxeBuilder().analyze(ben).getViolations().stream()
                .filter(r -> "critical".equals(r.getImpact()) || "serious".equals(r.getImpact())).toList();
        assertThat(bad).as("axe-core on Ben's console with the card Anna took:\n" + bad.stream()
                .map(r -> r.getImpact() + " " + r.getId() + ": " + r.getHelp()).collect(Collectors.joining("\n"))).isEmpty();

        // Ben's late choice, from his browser's session, is refused with Anna's name
        JsonObject late = chooseInBrowser(ben, callId, "voicemail");
        assertThat(late.getInteger("status")).isEqualTo(409);
        JsonObject refusal = late.getJsonObject("body");
        assertThat(refusal.getString("code")).isEqualTo("call-taken");
        assertThat(refusal.getString("by")).isEqualTo("anna");
        assertThat(refusal.getString("byName")).isEqualTo("Anna Weber");
        assertThat(refusal.getString("choice")).isEqualTo("put-through");

        // the PBX carried Anna's choice out: the caller rings at the client's mobile, which takes the call
        JsonObject answered = awaitState(callId, "answered");
        assertThat(answered.getString("answeredBy")).isEqualTo("Local/+491701111111@vorzimmer-reach");
        assertThat(CallUpdates.states(calls, callId)).doesNotContain("message", "missed");
        Chromium.waitUpTo(anna, Duration.ofSeconds(3)).until(d -> !d.findElements(card(callId)).isEmpty()
                && d.findElements(button(callId, "put-through")).isEmpty());

        // the caller hangs up: from the moment Asterisk reports it, both lists are empty within a second
        String caller = channels.get(callId.substring(0, callId.length() - 1) + "a");
        assertThat(caller).as("the caller's channel (AMI Newchannel)").isNotNull();
        ManagerResponse r = ami.sendAction(new HangupAction(caller), 10_000);
        assertThat(r.getResponse()).as("AMI Hangup " + caller + ": " + r.getMessage()).isEqualToIgnoringCase("Success");
        String callerId = callId.substring(0, callId.length() - 1) + "a";
        Sandbox.await(Duration.ofSeconds(10), "AMI Hangup event of " + callId, () -> hungUp.containsKey(callId));
        // the first report of the hang-up: the caller's channel or the one the server follows, whichever came first
        long hangUpAt = Math.min(hungUp.get(callId), hungUp.getOrDefault(callerId, Long.MAX_VALUE));
        Duration left = Duration.ofSeconds(1).minusNanos(System.nanoTime() - hangUpAt);
        Awaitility.await("both ringing lists empty within 1 s of the AMI Hangup event")
                .atMost(left.isNegative() ? Duration.ofMillis(1) : left).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> cards(anna) == 0 && cards(ben) == 0);
        long emptyAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hangUpAt);
        JsonObject ended = awaitState(callId, "ended");
        System.out.printf("two secretaries on Asterisk: both ringing lists empty %d ms after the AMI Hangup event "
                + "(the server's ended event at %s)%n", emptyAfter, ended.getString("at"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Places a call from {@code from} to the client's line, forwarded to the service number, with AMI Originate on
     * {@code Local/s@vorzimmer-test-forward}; the caller's side ({@code vorzimmer-test-caller}) stays silent until the
     * test hangs it up. Returns the call id (the unique id of the channel that runs {@code vorzimmer-in}); the
     * caller's own channel has the same id ending in {@code a}.
     */
    private String call(String from) {
        String base = "vz2s" + System.currentTimeMillis();
        Sandbox.originate(ami, Sandbox.testCall(base, SERVICE_DID, from, LINE, 90, 30, (int) CALLER_PATIENCE.toSeconds()));
        return base + "b";
    }

    private JsonObject awaitState(String callId, String state) {
        return CallUpdates.await(calls, callId, state, Duration.ofSeconds(30));
    }

    /** A choice posted from the browser's own session (its cookie and CSRF token): the HTTP status and the body. */
    private static JsonObject chooseInBrowser(WebDriver b, String callId, String choice) {
        Object out = ((JavascriptExecutor) b).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const me = await (await fetch('/api/v1/session', { credentials: 'same-origin' })).json();
                  const r = await fetch('/api/v1/calls/' + encodeURIComponent(arguments[0]) + '/choice', {
                    method: 'POST', credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
                    body: JSON.stringify({ choice: arguments[1] }) });
                  return JSON.stringify({ status: r.status, body: await r.json() });
                })().then(done, (e) => done(JSON.stringify({ error: String(e) })));
                """, callId, choice);
        return new JsonObject(String.valueOf(out));
    }

    private static long cards(WebDriver b) {
        return (Long) ((JavascriptExecutor) b).executeScript("return document.querySelectorAll('.call-card').length");
    }




    private static By card(String id) {
        return By.cssSelector(".call-card[data-call-id='" + id + "']");
    }

    private static By button(String id, String choice) {
        return By.cssSelector(".call-card[data-call-id='" + id + "'] button[data-choice=" + choice + "]");
    }
}
