package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.server.VorzimmerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console that was shown a ringing call hears the rest of it, though the PBX rings other targets by then: a call
 * screened to Anna and put through to the client's mobile is answered and ends there, and Anna's card must learn
 * both. A console the call never rang at hears none of it.
 */
class CallToItsEndTest {
    private static final String MOBILE = "Local/+491701111111@vorzimmer-reach";

    @TempDir
    static Path dir;
    static ConsoleServer app;
    static ConsoleServer.Session anna;
    static ConsoleServer.Session ben;

    @BeforeAll
    static void start() throws Exception {
        app = new ConsoleServer(dir);
        anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
        ben = app.login("ben", VorzimmerServer.DEMO_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    private static void publish(String id, CallState state, String stage, List<String> targets, String answeredBy) {
        CallUpdate u = new CallUpdate(id, state, "mueller", "+49305558888", null, "+49301234567", "Müller: +49305558888",
                targets, answeredBy, null, false, stage, 0, Instant.now(), null);
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, u.toJson());
    }

    private static List<String> statesOf(List<String> frames, String id) {
        return frames.stream().filter(f -> f.contains("\"callId\":\"" + id + "\""))
                .map(f -> f.replaceAll(".*\"state\":\"([a-z]+)\".*", "$1")).toList();
    }

    @Test
    void aCallPutThroughToTheClientsMobileIsFollowedToItsEndByTheConsoleItRangAt() throws Exception {
        List<String> annas = app.feed(anna);
        List<String> bens = app.feed(ben);
        String id = "1764320000.41";

        publish(id, CallState.RINGING, "screen", List.of("PJSIP/anna"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).contains("ringing"));
        // put through: the PBX now rings the client's mobile, which answers; then the caller hangs up
        publish(id, CallState.RINGING, "put-through", List.of(MOBILE), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).size() == 2);
        publish(id, CallState.ANSWERED, "put-through", List.of(MOBILE), MOBILE);
        publish(id, CallState.ENDED, "put-through", List.of(MOBILE), MOBILE);

        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).contains("ended"));
        assertThat(statesOf(annas, id)).containsExactly("ringing", "ringing", "answered", "ended");
        // Ben's feed: a call for him comes after anything of the first call would have
        String his = "1764320000.42";
        publish(his, CallState.RINGING, "screen", List.of("PJSIP/ben"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(bens, his).contains("ringing"));
        assertThat(statesOf(bens, id)).isEmpty();
    }

    @Test
    void afterTheEndTheConsoleNoLongerHearsOfTheCall() throws Exception {
        List<String> annas = app.feed(anna);
        String id = "1764320000.43";
        publish(id, CallState.RINGING, "screen", List.of("PJSIP/anna"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).contains("ringing"));
        publish(id, CallState.MISSED, "screen", List.of(MOBILE), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).contains("missed"));
        // a stray late event of the same call for other targets (a PBX repeating itself) is not hers any more
        publish(id, CallState.ENDED, "put-through", List.of(MOBILE), MOBILE);
        String next = "1764320000.44";
        publish(next, CallState.RINGING, "screen", List.of("PJSIP/anna"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, next).contains("ringing"));
        assertThat(statesOf(annas, id)).containsExactly("ringing", "missed");
    }

    @Test
    void aRingingUpdateWhoseDetailsComeAfterTheCallEndedIsDropped() throws Exception {
        List<String> annas = app.feed(anna);
        String id = "1764320000.45";
        // the ringing update's screen-pop details are read on a worker; the end goes out at once, so it overtakes them
        publish(id, CallState.RINGING, "screen", List.of("PJSIP/anna"), null);
        publish(id, CallState.ENDED, "screen", List.of("PJSIP/anna"), null);
        String next = "1764320000.46";
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, id).contains("ended"));
        publish(next, CallState.RINGING, "screen", List.of("PJSIP/anna"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(annas, next).contains("ringing"));
        List<String> states = statesOf(annas, id);
        // a card that rang after its end would never leave the list
        assertThat(states.get(states.size() - 1)).isEqualTo("ended");
    }
}
