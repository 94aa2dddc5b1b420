package de.vorzimmer.console;

import de.vorzimmer.book.PhoneNumbers;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.CallerClass;
import de.vorzimmer.book.Action;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.book.Status;
import de.vorzimmer.messages.MessageWriter;
import de.vorzimmer.store.Stores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console end to end in headless Debian Chromium: log in, a ringing call pops up, a message typed in the form
 * is stored (and queued for SMS when urgent), an override set on the board changes the next routing decision.
 * Screenshots go to {@code -Dvz.screenshots=DIR} (the docs use docs/screenshots), else to a temporary folder.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CALLER = "+49309876543"; // Labor Schmidt, a VIP contact of Dr. Müller

    @TempDir
    static Path dir;
    static ConsoleServer app;
    static WebDriver browser;
    static Path shots;
    static long urgentMessageId;

    @BeforeAll
    static void start() throws Exception {
        app = new ConsoleServer(dir);
        String target = System.getProperty("vz.screenshots");
        shots = target == null || target.isBlank() ? Files.createDirectories(dir.resolve("shots")) : Path.of(target);
        Files.createDirectories(shots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1360,900",
                "--lang=de-DE", "--force-device-scale-factor=1");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "de-DE,de"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", "Europe/Berlin")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (app != null) app.close();
    }

    /** Clicks {@code what} inside {@code row}, finding both again if a re-render replaced them meanwhile. */
    private static void clickIn(By row, By what) {
        waitUpTo(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(row).findElement(what).click();
            return true;
        });
    }

    private static WebDriverWait waitUpTo(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d);
        w.pollingEvery(Duration.ofMillis(25));
        return w;
    }

    private static WebElement visible(By by) {
        return waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void shot(String name) throws IOException {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('toast').hidden = true");
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(name + ".png"), png);
    }

    @Test
    @Order(1)
    void aSecretaryLogsIn() throws Exception {
        browser.get(app.base + "/");
        visible(By.id("login-user")).sendKeys("anna");
        assertThat(browser.findElement(By.id("login-submit")).getText()).isEqualTo("Anmelden"); // from Accept-Language
        shot("login");
        browser.findElement(By.id("login-password")).sendKeys(VorzimmerServer.DEMO_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        assertThat(visible(By.id("who-name")).getText()).isEqualTo("Anna Weber");
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
    }

    @Test
    @Order(2)
    void anUrgentMessageTypedInTheFormIsStoredAndQueuedForSms() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=inbox]")).click();
        visible(By.id("inbox-new")).click();
        visible(By.id("mf-text"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("mf-client"))).selectByValue("mueller");
        browser.findElement(By.id("mf-name")).sendKeys("Frau Schmidt (Labor)");
        browser.findElement(By.id("mf-number")).sendKeys("030 9876543");
        browser.findElement(By.id("mf-text")).sendKeys("Laborbefund Patient Krause liegt vor, bitte heute noch zurückrufen.");
        browser.findElement(By.id("mf-urgent")).click();
        shot("message-form");
        browser.findElement(By.id("mf-save")).click();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("message-panel")));

        List<Message> stored = Stores.on(app.server.database()).messages().list(MessageFilter.all().forClient("mueller"));
        assertThat(stored).hasSize(1);
        Message m = stored.get(0);
        assertThat(m.text()).startsWith("Laborbefund Patient Krause");
        assertThat(de.vorzimmer.book.PhoneNumbers.normalizeIncoming(m.callerNumber(), "DE")).isEqualTo(CALLER);
        assertThat(m.urgent()).isTrue();
        // The outbox (migration V2) holds the SMS to the client, written in the same transaction as the message.
        assertThat(Stores.on(app.server.database()).outbox().forMessage(m.id())).isNotEmpty();
        urgentMessageId = m.id();
    }

    @Test
    @Order(3)
    void aRingingCallPopsUpWithinASecondWithEverythingToAnswerIt() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        // the call as the PBX adapter publishes it: with the decision the route script made for it
        var routed = app.server.routing().route(de.vorzimmer.routing.Call.of("030 1234567", CALLER), Instant.now());
        JsonObject ringing = new JsonObject().put("callId", "1764316800.42").put("state", "ringing")
                .put("client", "mueller").put("caller", CALLER).put("display", "Müller: Labor Schmidt")
                .put("targets", new JsonArray().add("PJSIP/anna").add("PJSIP/ben")).put("at", Instant.now().toString())
                .put("decision", de.vorzimmer.calls.CallDecision.of("1764316800.42", routed.decision(),
                        routed.snapshot().book().version()).toJson());
        JsonObject elsewhere = new JsonObject().put("callId", "1764316800.43").put("state", "ringing")
                .put("client", "smith").put("caller", "+447700900999").put("targets", new JsonArray().add("PJSIP/carla"));
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, elsewhere);
        long t0 = System.nanoTime();
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, ringing);
        WebElement card = waitUpTo(Duration.ofSeconds(1)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".call-card[data-call-id='1764316800.42']")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        assertThat(card.getText()).contains("Zahnarztpraxis Dr. Müller", "Zahnarztpraxis Dr. Müller, guten Tag.",
                "Labor Schmidt", "VIP", "Laborbefund Patient Krause");
        assertThat(browser.findElements(By.cssSelector(".call-card[data-call-id='1764316800.43']")))
                .as("a call ringing only at Carla").isEmpty();
        shot("screen-pop");

        card.findElement(By.cssSelector("button[data-choice=put-through]")).click();
        WebElement choice = visible(By.cssSelector(".call-card[data-call-id='1764316800.42'] .choice"));
        assertThat(choice.getText()).contains("durchstellen");
        Integer recorded = Stores.on(app.server.database()).database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT COUNT(*) FROM call_choices WHERE call_id = '1764316800.42' AND choice = 'put-through'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(recorded).isEqualTo(1);
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, new JsonObject().put("callId", "1764316800.42")
                .put("state", "answered").put("answeredBy", "anna"));
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".call-card.state-answered[data-call-id='1764316800.42']")));
    }

    @Test
    @Order(4)
    void aPhoneInLockAlertsEverySecretary() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=board]")).click();
        app.server.vertx().eventBus().publish(CallFeed.ALERTS, new JsonObject().put("type", "phonein-locked")
                .put("client", "mueller").put("failures", 5).put("until", "2026-11-30T10:00:00Z")
                .put("text", "Phone-in locked for client mueller"));
        WebElement alert = waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts .alert")));
        assertThat(alert.getText()).contains("Zahnarztpraxis Dr. Müller").contains("5 falsche PINs");
        alert.findElement(By.cssSelector(".alert-close")).click();
        assertThat(browser.findElements(By.cssSelector("#alerts .alert"))).isEmpty();
    }

    @Test
    @Order(5)
    void theInboxListsAndFiltersMessagesAndChangesTheirState() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=inbox]")).click();
        WebElement row = visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        assertThat(row.getText()).contains("Zahnarztpraxis Dr. Müller", "dringend", "Laborbefund");
        browser.findElement(By.id("f-urgent")).click();
        visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        browser.findElement(By.id("f-urgent")).click();
        visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        shot("inbox");
        browser.findElement(By.cssSelector(".msg[data-id='" + urgentMessageId + "'] .btn:not(.ghost)")).click(); // done
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".msg.st-done[data-id='" + urgentMessageId + "']")));
        assertThat(Stores.on(app.server.database()).messages().get(urgentMessageId).orElseThrow().state().word()).isEqualTo("done");
    }

    @Test
    @Order(6)
    void anOverrideSetOnTheBoardInTwoClicksChangesTheNextRoutingDecision() throws Exception {
        Call vipForWagner = Call.of("089 5554321", "089 5550000"); // Hausverwaltung Maier, VIP
        assertThat(app.server.routing().decide(vipForWagner).status()).isNotEqualTo(Status.DND);
        browser.findElement(By.cssSelector(".tab[data-view=board]")).click();
        By wagner = By.cssSelector(".client-row[data-client='elektro-wagner']");
        visible(wagner);
        // the board may be re-rendered by its own refresh between finding a button and clicking it
        clickIn(wagner, By.cssSelector("button[data-status=dnd]"));
        clickIn(wagner, By.cssSelector(".picker button[data-duration='1h']"));
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".client-row[data-client='elektro-wagner'] .pill.st-dnd")));
        Decision d = app.server.routing().decide(vipForWagner);
        assertThat(d.status()).isEqualTo(Status.DND);
        assertThat(d.why()).anyMatch(w -> w.contains("dnd"));

        Call stranger = Call.of("030 1234567", "0171 5556677");
        assertThat(app.server.routing().decide(stranger).caller().callerClass()).isEqualTo(CallerClass.UNKNOWN);
        By mueller = By.cssSelector(".client-row[data-client='mueller']");
        clickIn(mueller, By.cssSelector("button[data-action=expect]"));
        visible(By.cssSelector(".client-row[data-client='mueller'] .expect-number"));
        browser.findElement(mueller).findElement(By.cssSelector(".expect-number")).sendKeys("0171 5556677");
        browser.findElement(mueller).findElement(By.cssSelector(".expect-note")).sendKeys("Rückruf Dr. Krause");
        new org.openqa.selenium.support.ui.Select(browser.findElement(mueller).findElement(By.cssSelector(".picker select")))
                .selectByValue("2h");
        browser.findElement(mueller).findElement(By.cssSelector(".picker button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".client-row[data-client='mueller'] .expected")));
        Decision expected = app.server.routing().decide(stranger);
        assertThat(expected.caller().callerClass()).isEqualTo(CallerClass.EXPECTED);
        assertThat(expected.action()).isEqualTo(Action.PUT_THROUGH);
        shot("board");
    }

    @Test
    @Order(7)
    void theUiSwitchesToEnglish() throws Exception {
        browser.findElement(By.cssSelector(".topbar .lang[data-lang=en]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.cssSelector(".tab[data-view=board]"), "Clients"));
        assertThat(browser.findElement(By.cssSelector(".client-row[data-client='elektro-wagner'] .pill")).getText())
                .isEqualTo("do not disturb");
        browser.findElement(By.cssSelector(".topbar .lang[data-lang=de]")).click();
    }

    @Test
    @Order(8)
    void theAdminRejectsABrokenBookAndChangesNothing() throws Exception {
        browser.findElement(By.id("logout")).click();
        visible(By.id("login-user")).clear();
        browser.findElement(By.id("login-user")).sendKeys("admin");
        browser.findElement(By.id("login-password")).sendKeys(VorzimmerServer.DEMO_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        visible(By.cssSelector(".tab[data-view=admin]")).click();
        WebElement yaml = visible(By.id("book-yaml"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !yaml.getAttribute("value").isEmpty());
        long before = Stores.on(app.server.database()).books().currentVersion().orElseThrow().id();
        String broken = yaml.getAttribute("value").replaceFirst("from: \"?08:30\"?", "from: \"25:00\"");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", yaml, broken);
        browser.findElement(By.id("book-save")).click();
        WebElement problems = visible(By.cssSelector("#book-problems li"));
        assertThat(problems.getText()).contains("mueller");
        assertThat(Stores.on(app.server.database()).books().currentVersion().orElseThrow().id()).isEqualTo(before);
        shot("admin");
    }

    @Test
    @Order(9)
    void aTwilioCallsCardSaysWhyAChoiceWasNotCarriedOut() throws Exception {
        // the admin sees every call; this server has no Twilio account, so nothing can redirect a Twilio call
        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        String callSid = "CA0123456789abcdef0123456789abcdef";
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, new CallUpdate(callSid, CallState.RINGING, "mueller",
                "+49301112222", null, "+49301234567", "Müller: +49301112222", List.of("client:anna", "sip:ben@vz.sip.twilio.com"),
                null, null, false, "screen", 0, Instant.now(), null).toJson());
        By card = By.cssSelector(".call-card[data-call-id='" + callSid + "']");
        // the list is drawn again whenever something changes: look the card up afresh each time
        waitUpTo(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class).until(d ->
                d.findElement(card).getText().contains("Zahnarztpraxis Dr. Müller"));
        assertThat(browser.findElement(card).getText()).contains("+49301112222");

        waitUpTo(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(card).findElement(By.cssSelector("button[data-choice=voicemail]")).click();
            return true;
        });
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(
                By.cssSelector(".call-card[data-call-id='" + callSid + "'] .choice"),
                "Vermerkt, aber nicht umgeleitet: zur Mailbox – no phone system connected that could redirect this call"));
    }
}
