package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.server.VorzimmerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two secretaries logged in at once in headless Chromium, one call ringing at both (as the PBX adapter publishes its
 * live state): Anna takes it, Ben's card says at once that Anna took it and its buttons are gone (Anna keeps hers); Ben's late choice
 * (from a card drawn before he heard of it) is refused with Anna's name; when the call ends both lists are empty
 * within a second.
 */
@Tag("browser")
class TwoSecretariesBrowserTest {

    /** Wraps EventSource so that events are dropped while {@code window.__vzPaused} is true. */
    private static final String PAUSABLE_FEED = """
            (() => {
              const Real = window.EventSource;
              window.__vzPaused = false;
              function Pausable(url, options) {
                const es = new Real(url, options);
                const add = es.addEventListener.bind(es);
                es.addEventListener = (type, listener, o) => add(type, (m) => { if (!window.__vzPaused) listener(m); }, o);
                return es;
              }
              Pausable.prototype = Real.prototype;
              window.EventSource = Pausable;
            })();
            """;

    @TempDir
    static Path dir;
    static ConsoleServer app;
    static WebDriver anna;
    static WebDriver ben;

    @BeforeAll
    static void start() throws Exception {
        app = new ConsoleServer(dir);
        anna = Chromium.start(dir, "anna");
        ben = Chromium.start(dir, "ben");
        // Ben's page gets a live feed the test can hold back (a slow network), set up before the console loads
        ((ChromeDriver) ben).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PAUSABLE_FEED));
        Chromium.logIn(anna, app.base, "anna", VorzimmerServer.DEMO_PASSWORD);
        Chromium.logIn(ben, app.base, "ben", VorzimmerServer.DEMO_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (anna != null) anna.quit();
        if (ben != null) ben.quit();
        if (app != null) app.close();
    }




    private static void publish(CallUpdate u) {
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, u.toJson());
    }

    private static CallUpdate call(String id, CallState state) {
        return new CallUpdate(id, state, "mueller", "+49301112222", null, "+49301234567", "Müller: +49301112222",
                List.of("PJSIP/anna", "PJSIP/ben"), null, null, false, "screen", 0, Instant.now(), null);
    }

    private static By card(String id) {
        return By.cssSelector(".call-card[data-call-id='" + id + "']");
    }

    private static By button(String id, String choice) {
        return By.cssSelector(".call-card[data-call-id='" + id + "'] button[data-choice=" + choice + "]");
    }

    @Test
    void annaTakesTheCallBensCardSaysSoAndAfterTheHangUpBothListsAreEmpty() {
        String id = "1764320000.5";
        publish(call(id, CallState.RINGING));
        for (WebDriver b : List.of(anna, ben)) {
            Chromium.waitUpTo(b, Duration.ofSeconds(5)).until(ExpectedConditions.elementToBeClickable(button(id, "put-through")));
        }
        Chromium.waitUpTo(anna, Duration.ofSeconds(5)).until(d -> {
            d.findElement(button(id, "message")).click();
            return true;
        });
        // Ben's card: who took it, no buttons
        Chromium.waitUpTo(ben, Duration.ofSeconds(2)).until(d -> Chromium.kicker(d, id).contains("anna weber nimmt an"));
        assertThat(ben.findElement(card(id)).getText()).contains("Übernommen von Anna Weber: Nachricht aufnehmen");
        assertThat(ben.findElements(button(id, "put-through"))).isEmpty();
        // Anna's own card: hers, and she can still put the call through
        Chromium.waitUpTo(anna, Duration.ofSeconds(2)).until(d -> Chromium.kicker(d, id).contains("sie nehmen an"));
        assertThat(anna.findElements(button(id, "put-through"))).isNotEmpty();
        // Anna's message form is open for the call
        assertThat(anna.findElement(By.id("message-panel")).isDisplayed()).isTrue();

        // the call ends at the PBX: both lists are empty within a second
        publish(call(id, CallState.ENDED));
        for (WebDriver b : List.of(anna, ben)) {
            Chromium.waitUpTo(b, Duration.ofSeconds(1)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".call-card"), 0));
        }
    }

    @Test
    void aLateChoiceFromACardDrawnBeforeIsRefusedWithTheNameOfWhoTookTheCall() {
        String id = "1764320000.6";
        publish(call(id, CallState.RINGING));
        for (WebDriver b : List.of(anna, ben)) {
            Chromium.waitUpTo(b, Duration.ofSeconds(5)).until(ExpectedConditions.elementToBeClickable(button(id, "put-through")));
        }
        // Ben's live feed stops before Anna chooses (a slow network): his card still offers the buttons
        ((JavascriptExecutor) ben).executeScript("window.__vzPaused = true;");
        Chromium.waitUpTo(anna, Duration.ofSeconds(5)).until(d -> {
            d.findElement(button(id, "put-through")).click();
            return true;
        });
        Chromium.waitUpTo(anna, Duration.ofSeconds(2)).until(d -> Chromium.kicker(d, id).contains("sie nehmen an"));
        assertThat(ben.findElements(button(id, "voicemail"))).isNotEmpty();
        ben.findElement(button(id, "voicemail")).click();
        Chromium.waitUpTo(ben, Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"),
                "Schon übernommen von Anna Weber (durchstellen)"));
        Chromium.waitUpTo(ben, Duration.ofSeconds(2)).until(d -> Chromium.kicker(d, id).contains("anna weber nimmt an"));
        assertThat(ben.findElements(button(id, "voicemail"))).isEmpty();
        ((JavascriptExecutor) ben).executeScript("window.__vzPaused = false;");
        publish(call(id, CallState.ENDED));
        for (WebDriver b : List.of(anna, ben)) {
            Chromium.waitUpTo(b, Duration.ofSeconds(1)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".call-card"), 0));
        }
    }
}
