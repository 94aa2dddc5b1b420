package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.phonein.PhoneInBooks;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.PinLockout;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.store.Durability;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.store.Stores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import io.vertx.core.Vertx;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phone-in line on the REAL Asterisk of {@code scripts/asterisk-sandbox}, with real DTMF: AMI originates
 * {@code Local/s@vorzimmer-phonein} (the production context, which calls {@code AGI(agi://${VZ_AGI_HOST}/phonein)});
 * the caller's half runs {@code SendDTMF} with pauses ({@code W} = 1 s), so the keys reach our script as a phone's
 * would. Our own FastAGI server on a free port is reached through the channel variable {@code __VZ_AGI_HOST}, which
 * shadows the dialplan global (other tests change that global concurrently; this test never touches it).
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoneInAsteriskTest {
    private static final String LINE = "+49301234567";
    private static final String MUELLER = "+491701111111";
    private static final String WEBER = "+491702222222";
    private static final String MEIER = "+491703333333";
    private static final String KOCH = "+491704444444";
    private static final Duration CALL = Duration.ofSeconds(90);
    private static final String BOOK = PhoneInBooks.START + """
                hours: [ { days: mon-sun, from: "00:00", to: "24:00" } ]
                contacts:
                  - { name: Labor Schmidt, numbers: ["030 9876543"], class: vip }
              - id: weber
                name: Kanzlei Weber
                lines: ["030 2222222"]
                reach: "+49 170 2222222"
                pin: "2580"
              - id: meier
                name: Meier Handwerk
                lines: ["030 3333333"]
                reach: "+49 170 3333333"
                language: en
                pin: "1357"
              - id: koch
                name: Koch Elektro
                lines: ["030 4444444"]
                reach: "+49 170 4444444"
                pin: "2468"
            """;

    @TempDir
    static Path dir;

    private Sandbox sandbox;
    private Stores store;
    private LiveRouting routing;
    private PhoneInStore phoneIn;
    private Vertx vertx;
    private FastAgiServer agi;
    private ManagerConnection ami;
    private final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
    /** Released each time the phonein script returns (one per call). */
    private final Semaphore callsEnded = new Semaphore(0);
    private Speech speech;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.ensureUp();
        store = Stores.open(dir.resolve("vz.db"), Durability.FULL, PinHasher.fast());
        Book book = BookLoader.load(BOOK, PinHasher.fast());
        store.books().save(book, "phone-in test", Instant.now());
        routing = new LiveRouting(store.snapshots().at(Instant.now()), Clock.systemUTC());
        StoreWatcher watcher = new StoreWatcher(store.database(), store.snapshots(), routing, store.books().currentVersion().orElseThrow().id());
        phoneIn = new PhoneInStore(store.database());
        PhoneInLine line = new PhoneInLine(routing, store.status(watcher::refresh), store.messages(), phoneIn,
                PinHasher.fast(), (address, body) -> alerts.add(body));
        speech = Speech.in(sandbox.recordings().resolve("tts"));
        PhoneInScript script = new PhoneInScript(line, PromptCatalogue.standard(), speech);
        FastAgiScript counted = call -> script.run(call).onComplete(ar -> callsEnded.release());
        vertx = Vertx.vertx();
        agi = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("phonein", counted), AgiLimits.defaults(), 2);
        ami = new ManagerConnectionFactory("127.0.0.1", sandbox.amiPort(), sandbox.amiUser(), sandbox.amiSecret())
                .createManagerConnection();
        ami.login("off");
    }

    @AfterAll
    void stop() {
        if (ami != null) ami.logoff();
        if (agi != null) agi.close();
        if (vertx != null) vertx.close();
        if (store != null) store.close();
    }

    /** Calls the phone-in line from {@code from}; the caller presses {@code dtmf} (W = 1 s pause). Waits for the end. */
    private void phoneIn(String from, String dtmf) throws Exception {
        phoneIn(from, dtmf, Map.of());
    }

    /** As above, with more channel variables on the call (inherited into the dialplan's side). */
    private void phoneIn(String from, String dtmf, Map<String, String> variables) throws Exception {
        OriginateAction o = new OriginateAction();
        o.setChannel("Local/s@vorzimmer-phonein");
        o.setApplication("SendDTMF");
        o.setData(dtmf);
        o.setCallerId("\"" + from + "\" <" + from + ">");
        o.setTimeout(30_000L);
        o.setAsync(true);
        Map<String, String> vars = new java.util.HashMap<>(variables);
        vars.put("__VZ_AGI_HOST", "127.0.0.1:" + agi.port());
        o.setVariables(vars);
        ManagerResponse r = ami.sendAction(o, 10_000);
        if (!"Success".equalsIgnoreCase(r.getResponse())) fail("Originate refused: " + r.getMessage());
        if (!callsEnded.tryAcquire(CALL.toSeconds(), TimeUnit.SECONDS)) {
            fail("the phone-in call did not end within " + CALL.toSeconds() + " s; Asterisk log:\n" + sandbox.logSince(0).lines()
                    .filter(l -> l.contains("phonein") || l.contains("DTMF")).skip(0).reduce("", (a, b) -> a + b + "\n"));
        }
    }

    @Test
    void doNotDisturbSetByPhoneIsSeenByTheNextRoute() throws Exception {
        long mark = sandbox.logMark();
        // PIN, then menu 4 (do not disturb until), 2359, then 9 (goodbye)
        phoneIn(MUELLER, "WWWW4711#WWWW4WWW2359#WWWWWW9WWW");
        List<Override> set = store.overrides().all().stream().filter(o -> o.clientId().equals("mueller")).toList();
        assertThat(set).hasSize(1);
        Override o = set.get(0);
        assertThat(o.kind()).isEqualTo(OverrideKind.DND);
        assertThat(o.source()).isEqualTo("phone-in");
        assertThat(o.until().atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime())
                .isEqualTo(java.time.LocalTime.of(23, 59));
        // the next route: a VIP who would be put through is screened (default rule 2: dnd -> screen)
        Decision d = routing.decide(new Call(LINE, "+49309876543", null, false, null), Instant.now());
        assertThat(d.status()).isEqualTo(Status.DND);
        assertThat(d.action()).isEqualTo(Action.SCREEN);
        assertThat(sandbox.logSince(mark)).contains("vorzimmer-phonein").containsPattern("DTMF (end|begin) '4'");
    }

    @Test
    void theGeneratedPromptsComeFromTheFolderTheSandboxInstalled() throws Exception {
        long mark = sandbox.logMark();
        phoneIn(MEIER, "WWWW1357#WWWW9WWW");
        String log = sandbox.logSince(mark);
        // from VZ_PROMPTS (a folder of ours, not Debian's sounds/en); Asterisk takes its en/ subfolder
        assertThat(log).containsPattern("Playing '" + java.util.regex.Pattern.quote(sandbox.status.get("prompts"))
                + "/phonein-welcome\\.gsm'.*\\(language 'en'\\)");
        assertThat(log).doesNotContain("phonein AGI failed");
    }

    @Test
    void aMissingPromptCostsThatPromptNotTheSession() throws Exception {
        long mark = sandbox.logMark();
        // prompts from a folder that does not exist: every generated prompt fails to play, so Asterisk reports
        // the whole AGI as failed; the status is saved all the same, and the caller hears no apology
        phoneIn(KOCH, "WWWW2468#WWWW5WWWWWW9WWW", Map.of("__VZ_PROMPTS", "/nonexistent/vorzimmer"));
        List<Override> set = store.overrides().all().stream()
                .filter(o -> o.clientId().equals("koch") && o.kind() == OverrideKind.SCHEDULE).toList();
        assertThat(set).hasSize(1);
        String log = sandbox.logSince(mark);
        assertThat(log).contains("/nonexistent/vorzimmer/phonein-welcome");
        assertThat(log).doesNotContain("phonein AGI failed").doesNotContain("please-try-call-later");
    }

    @Test
    void fiveWrongPinsLockPhoneInAndAlert() throws Exception {
        phoneIn(WEBER, "WWWW1111#WWWW2222#WWWW3333#WWWW");
        assertThat(phoneIn.pinState("weber", Instant.now()).recentFailures()).isEqualTo(3);
        assertThat(alerts).isEmpty();
        phoneIn(WEBER, "WWWW4444#WWWW5555#WWWWWWWW");
        PinLockout.PinState s = phoneIn.pinState("weber", Instant.now());
        assertThat(s.lockedAt(Instant.now())).isTrue();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getString("type")).isEqualTo("phonein-locked");
        assertThat(alerts.get(0).getString("client")).isEqualTo("weber");
        assertThat(alerts.get(0).getString("channel")).isEqualTo("asterisk");
        // the right PIN now: still locked, nothing can be changed
        phoneIn(WEBER, "WWWW2580#WWWW2WWWW");
        assertThat(store.overrides().all().stream().filter(o -> o.clientId().equals("weber"))).isEmpty();
    }

    @Test
    void messagesAreMarkedReadAfterListening() throws Exception {
        long mark = sandbox.logMark();
        Instant now = Instant.now();
        // a typed note and a recording Asterisk can play (a stock sound stands in for a caller's message); the note
        // first, so its speech plays within the long pause after "7" whatever the time of day makes the dates read
        long typed = store.messages().add(Message.received(now.minusSeconds(600), "meier", "+49303333333", "",
                null, MessageKind.TYPED, "Please call the lab", null, false, null));
        long rec = store.messages().add(Message.received(now.minusSeconds(300), "meier", "+49303333333", "+49309876543",
                "Labor", MessageKind.RECORDING, null, "/usr/share/asterisk/sounds/en/hello-world.gsm", false, "x1"));
        // the typed note's speech rendered beforehand (it is cached): on a cold machine rendering it during the call
        // can take longer than the pause before the next key, and a key pressed while no AGI command listens is lost
        assertThat(speech.speak("Please call the lab", "en")).isPresent();
        // PIN, 7 (messages); listen to the first (the note) to the end, 2 (next), 2 (next: no more), 9
        phoneIn(MEIER, "WWWW1357#WWWWWWWW7" + "W".repeat(22) + "2" + "W".repeat(12) + "2WWWWWW9WWW");
        Message first = store.messages().get(rec).orElseThrow();
        Message second = store.messages().get(typed).orElseThrow();
        assertThat(first.state()).isEqualTo(MessageState.READ);
        assertThat(first.stateChangedBy()).isEqualTo("phone-in");
        assertThat(second.state()).isEqualTo(MessageState.READ);
        // the typed note was spoken (espeak-ng), not replaced by "read it in the console"
        assertThat(speech.available()).as("espeak-ng and sox installed (scripts/test installs them)").isTrue();
        String spoken = speech.speak("Please call the lab", "en").orElseThrow();
        assertThat(Path.of(spoken + ".wav")).isNotEmptyFile();
        assertThat(sandbox.logSince(mark)).contains(spoken);
    }
}
