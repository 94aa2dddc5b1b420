package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.phonein.PhoneInBooks;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.phonein.Phrase;
import de.vorzimmer.phonein.PromptCatalogue;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.StoreWatcher;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The phone-in dialog as asynchronous FastAGI on the event-loop server, against a peer speaking as res_agi does:
 * the commands it sends for each step, the keys fed back into the dialog, and a caller who hangs up in the middle.
 * (PhoneInAsteriskTest runs the same script against the real Asterisk.)
 */
class PhoneInScriptTest {
    private static final String MUELLER_REACH = "+491701111111";
    private static final String BOOK = PhoneInBooks.START;

    @TempDir
    Path dir;

    private Stores store;
    private Vertx vertx;
    private FastAgiServer agi;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("de.vorzimmer");

    @BeforeEach
    void start() throws Exception {
        log.start();
        logger.addAppender(log);
        store = Stores.open(dir.resolve("vz.db"), Durability.NORMAL, PinHasher.fast());
        store.books().save(BookLoader.load(BOOK, PinHasher.fast()), "test", Instant.now());
        LiveRouting routing = new LiveRouting(store.snapshots().at(Instant.now()), Clock.systemUTC());
        StoreWatcher watcher = new StoreWatcher(store.database(), store.snapshots(), routing,
                store.books().currentVersion().orElseThrow().id());
        PhoneInLine line = new PhoneInLine(routing, store.status(watcher::refresh), store.messages(),
                new PhoneInStore(store.database()), PinHasher.fast(), (address, body) -> { });
        vertx = Vertx.vertx();
        agi = FastAgiServer.start(vertx, "127.0.0.1", 0,
                Map.of("phonein", new PhoneInScript(line, PromptCatalogue.standard(), Speech.none())), AgiLimits.defaults(), 2);
    }

    @AfterEach
    void stop() throws Exception {
        agi.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        store.close();
        logger.detachAppender(log);
    }

    /** Answers as res_agi does on a live channel: prompts play to their end, keys come from {@code keys} in order. */
    private static List<String> live(String command, Deque<String> keys) {
        if (command.startsWith("WAIT FOR DIGIT")) {
            String k = keys.isEmpty() ? "" : keys.poll();
            return List.of("200 result=" + (k.isEmpty() ? 0 : (int) k.charAt(0)));
        }
        if (command.startsWith("GET DATA")) {
            String k = keys.isEmpty() ? "" : keys.poll();
            return List.of(k.isEmpty() ? "200 result= (timeout)" : "200 result=" + k);
        }
        if (command.startsWith("STREAM FILE") || command.startsWith("SAY ")) return List.of("200 result=0 endpos=8000");
        if (command.startsWith("GET VARIABLE")) return List.of("200 result=0"); // no VZ_PROMPTS: Asterisk's sounds folders
        return List.of("200 result=1");
    }

    private List<ILoggingEvent> lines(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).toList();
    }

    private void assertCleanEnd() {
        assertThat(events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
        assertThat(lines(Level.INFO)).filteredOn(e -> e.getFormattedMessage().contains("hangup")
                || e.getFormattedMessage().contains("hung up")).hasSize(1);
    }

    /** What was logged so far (appenders append under their own lock). */
    private List<ILoggingEvent> events() {
        synchronized (log) {
            return new java.util.ArrayList<>(log.list);
        }
    }

    @Test
    void pinThenAvailableNowSetsTheStatusAndSaysGoodbye() throws Exception {
        Deque<String> keys = new ArrayDeque<>(List.of("4711", "2", "9"));
        List<String> commands = FakeAsterisk.call(agi.port(),
                FakeAsterisk.environment("phonein", MUELLER_REACH, "s"), c -> live(c, keys));
        assertThat(commands.subList(0, 2)).containsExactly("GET VARIABLE \"VZ_PROMPTS\"",
                "SET VARIABLE \"CHANNEL(language)\" \"de\"");
        assertThat(commands).filteredOn(c -> c.startsWith("GET DATA")).first().asString()
                .isEqualTo("GET DATA \"silence/1\" 10000 9"); // the PIN: up to 8 digits, one more to notice too many
        assertThat(commands).filteredOn(c -> c.startsWith("WAIT FOR DIGIT")).hasSize(2)
                .allMatch(c -> c.equals("WAIT FOR DIGIT 8000"));
        assertThat(commands).as(String.join("\n", commands)).allMatch(c -> !c.startsWith("STREAM FILE") || c.endsWith("\"0123456789*#\"")
                || c.endsWith("\"\"")); // with barge-in while keys are awaited, without on the goodbye
        // the goodbye, then the mark that the dialog was served (a prompt that failed to play costs no apology)
        assertThat(commands.subList(commands.size() - 2, commands.size())).containsExactly(
                "STREAM FILE \"" + PromptCatalogue.standard().sound(Phrase.GOODBYE, "de") + "\" \"\"",
                "SET VARIABLE \"AJ_AGISTATUS\" \"SUCCESS\"");
        List<Override> set = store.overrides().all();
        assertThat(set).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(OverrideKind.AVAILABLE);
            assertThat(o.source()).isEqualTo("phone-in");
        });
        assertThat(events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
    }

    @Test
    void callerHangingUpDuringAPromptEndsTheDialogCleanly() throws Exception {
        List<String> commands = FakeAsterisk.call(agi.port(), FakeAsterisk.environment("phonein", MUELLER_REACH, "s"),
                c -> {
                    if (c.startsWith("SET VARIABLE")) return List.of("200 result=1");
                    // the caller hangs up while the welcome plays: res_agi answers -1, then says HANGUP; a command
                    // sent after that is refused as on a dead channel
                    if (c.startsWith("STREAM FILE") && !c.contains("goodbye")) {
                        return List.of("200 result=-1 endpos=1200", "HANGUP");
                    }
                    return List.of("511 Command Not Permitted on a dead channel or intercepted");
                });
        assertThat(commands).hasSizeLessThanOrEqualTo(3);
        assertThat(store.overrides().all()).isEmpty();
        assertCleanEnd();
    }

    @Test
    void callerHangingUpWhileAKeyIsAwaitedEndsTheDialogCleanly() throws Exception {
        List<String> commands = FakeAsterisk.call(agi.port(), FakeAsterisk.environment("phonein", MUELLER_REACH, "s"),
                c -> c.startsWith("GET DATA") ? List.of("200 result=-1") : live(c, new ArrayDeque<>()));
        assertThat(commands.get(commands.size() - 1)).as(String.join("\n", commands)).startsWith("GET DATA");
        assertCleanEnd();
    }

    @Test
    void connectionDroppedMidDialogEndsItCleanly() throws Exception {
        // Asterisk gone (channel destroyed, connection closed) while a menu key is awaited
        Deque<String> keys = new ArrayDeque<>(List.of("4711"));
        try {
            FakeAsterisk.call(agi.port(), FakeAsterisk.environment("phonein", MUELLER_REACH, "s"), c -> {
                if (c.startsWith("WAIT FOR DIGIT")) throw new IllegalStateException("the PBX closes the connection");
                return live(c, keys);
            });
        } catch (IllegalStateException e) {
            // the socket is closed on the way out, with the key still awaited
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(this::assertCleanEnd);
    }
}
