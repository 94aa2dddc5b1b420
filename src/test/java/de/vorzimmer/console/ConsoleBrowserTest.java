package de.vorzimmer.console;

import de.vorzimmer.book.PhoneNumbers;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import de.vorzimmer.book.Action;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.book.Status;
import de.vorzimmer.messages.MessageWriter;
import de.vorzimmer.status.OverrideKind;
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
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console end to end in headless Debian Chromium, as a secretary and an admin work with it: log in, a ringing
 * call pops up with everything to answer it (urgent, why, the client's instructions, the caller's note and earlier
 * calls) and takes the focus, the keyboard does the common actions, a message typed in the form is stored, the board
 * shows and sets status, note and duty, the inbox plays recordings, the admin sees what each client costs and edits
 * the book and API tokens. Every screen is checked with axe-core (no critical or serious violation) and has no script
 * error. Screenshots of each screen at 1360×900 and 1024×640 go to {@code -Dvz.screenshots=DIR} (the docs use
 * docs/screenshots), else to a temporary folder.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CALLER = "+49309876543"; // Labor Schmidt, a VIP contact of Dr. Müller
    private static final Dimension WIDE = new Dimension(1360, 900);
    private static final Dimension SMALL = new Dimension(1024, 640);

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
                "--lang=de-DE", "--force-device-scale-factor=1", "--autoplay-policy=no-user-gesture-required");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "de-DE,de"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", "Europe/Berlin")).build();
        browser = new ChromeDriver(service, options);
        viewport(WIDE);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (app != null) app.close();
    }

    // ---- helpers

    /** Sets the page's viewport (not the window's outer size) to {@code d}. */
    private static void viewport(Dimension d) {
        browser.manage().window().setSize(d);
        Long w = (Long) js("return window.innerWidth");
        Long h = (Long) js("return window.innerHeight");
        if (w != d.width || h != d.height) {
            browser.manage().window().setSize(new Dimension(2 * d.width - w.intValue(), 2 * d.height - h.intValue()));
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
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

    private static void keys(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private static String focusedId() {
        return (String) js("const a = document.activeElement; return a ? (a.id || a.dataset.callId || a.tagName) : null");
    }

    /** The screen as it is now: no critical or serious axe-core violation, no script error; screenshots at both sizes. */
    private static void screen(String name) throws IOException {
        js("document.getElementById('toast').hidden = true");
        Results axe = new AxeBuilder().analyze(browser);
        List<Rule> bad = axe.getViolations().stream()
                .filter(r -> "critical".equals(r.getImpact()) || "serious".equals(r.getImpact())).toList();
        assertThat(bad).as(name + ": axe-core violations\n" + bad.stream().map(r -> r.getImpact() + " " + r.getId()
                + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget() + " " + n.getFailureSummary())
                .collect(Collectors.joining("; "))).collect(Collectors.joining("\n"))).isEmpty();
        noScriptErrors(name);
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        viewport(SMALL);
        js("document.getElementById('toast').hidden = true");
        Files.write(shots.resolve(name + "-1024x640.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        viewport(WIDE);
    }

    private static void noScriptErrors(String where) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                // a 4xx/5xx the page asked for on purpose shows up as a failed resource, not a script error
                .filter(e -> !e.getMessage().contains("Failed to load resource")).toList();
        assertThat(errors).as(where + ": script errors").isEmpty();
    }

    /** True if the element is inside the viewport, whole. */
    private static boolean inView(WebElement e) {
        return (Boolean) js("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.left >= 0"
                + " && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.width > 0", e);
    }

    private static void publish(JsonObject event) {
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, event);
    }

    // ---- the working day

    @Test
    @Order(1)
    void aSecretaryLogsIn() throws Exception {
        browser.get(app.base + "/");
        visible(By.id("login-user")).sendKeys("anna");
        assertThat(browser.findElement(By.id("login-submit")).getText()).isEqualTo("Anmelden"); // from Accept-Language
        screen("login");
        browser.findElement(By.id("login-password")).sendKeys(VorzimmerServer.DEMO_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        assertThat(visible(By.id("who-name")).getText()).isEqualTo("Anna Weber");
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
    }

    @Test
    @Order(2)
    void anUrgentMessageTypedInTheFormIsStoredAndSaysThereIsNoSmsSender() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=inbox]")).click();
        visible(By.id("inbox-new")).click();
        visible(By.id("mf-text"));
        new Select(browser.findElement(By.id("mf-client"))).selectByValue("mueller");
        browser.findElement(By.id("mf-name")).sendKeys("Frau Schmidt (Labor)");
        browser.findElement(By.id("mf-number")).sendKeys("030 9876543");
        browser.findElement(By.id("mf-text")).sendKeys("Laborbefund Patient Krause liegt vor, bitte heute noch zurückrufen.");
        // this server has no SMS sender: the form and the toast say so rather than promising an SMS
        assertThat(browser.findElement(By.id("mf-urgent-label")).getText()).contains("kein SMS-Versand");
        browser.findElement(By.id("mf-urgent")).click();
        screen("message-form");
        WebElement save = browser.findElement(By.id("mf-save"));
        viewport(SMALL);
        assertThat(inView(save)).as("save button visible at 1024×640").isTrue();
        viewport(WIDE);
        save.click();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("message-panel")));
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"),
                "Kein SMS-Versand eingerichtet"));
        assertThat(browser.findElement(By.id("toast")).getText()).doesNotContain("SMS geht raus");

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
    void aRingingCallPopsUpWithinASecondTakesTheFocusAndHasEverythingToAnswerIt() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        // an earlier call from the lab, a secretary answered it
        Instant earlier = Instant.now().minus(Duration.ofDays(2));
        Stores.on(app.server.database()).calls().append(new de.vorzimmer.calls.CallLogEntry(0, earlier, "1764000000.1",
                "asterisk", "mueller", "+49301234567", CALLER, "vip", "available", "screen", true, "{}"));
        new de.vorzimmer.usage.CallTimes(app.server.database()).answered("1764000000.1", "mueller", "screen",
                "PJSIP/ben", earlier.plusSeconds(5));
        // the call as the PBX adapter publishes it: with the decision the route script made for it
        var routed = app.server.routing().route(de.vorzimmer.routing.Call.of("030 1234567", CALLER), Instant.now());
        JsonObject ringing = new JsonObject().put("callId", "1764316800.42").put("state", "ringing")
                .put("client", "mueller").put("caller", CALLER).put("display", "Müller: Labor Schmidt").put("urgent", true)
                .put("targets", new JsonArray().add("PJSIP/anna").add("PJSIP/ben")).put("at", Instant.now().toString())
                .put("decision", de.vorzimmer.calls.CallDecision.of("1764316800.42", routed.decision(),
                        routed.snapshot().book().version()).toJson());
        JsonObject elsewhere = new JsonObject().put("callId", "1764316800.43").put("state", "ringing")
                .put("client", "smith").put("caller", "+447700900999").put("targets", new JsonArray().add("PJSIP/carla"));
        publish(elsewhere);
        long t0 = System.nanoTime();
        publish(ringing);
        By cardBy = By.cssSelector(".call-card[data-call-id='1764316800.42']");
        WebElement card = waitUpTo(Duration.ofSeconds(1)).until(ExpectedConditions.visibilityOfElementLocated(cardBy));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        waitUpTo(Duration.ofSeconds(2)).until(d -> "1764316800.42".equals(focusedId()));
        card = browser.findElement(cardBy);
        assertThat(card.getText()).contains("Zahnarztpraxis Dr. Müller", "Zahnarztpraxis Dr. Müller, guten Tag.",
                "Labor Schmidt", "VIP", "Laborbefund Patient Krause", "DRINGEND", "Hinweis des Mandanten",
                "Patienten mit Schmerzen immer durchstellen", "Befunde mit Patientennamen notieren", "Frühere Anrufe (1)",
                "angenommen von PJSIP/ben");
        card.findElement(By.cssSelector("details.why summary")).click();
        assertThat(card.findElement(By.cssSelector("details.why")).getText()).contains("rule 2: contact 'Labor Schmidt'");
        // times carry the client's zone
        assertThat(card.findElement(By.cssSelector(".earlier-calls li")).getText()).containsPattern("MEZ|MESZ");
        assertThat(browser.findElement(By.id("announce")).getAttribute("textContent"))
                .isEqualTo("Dringend – es klingelt: Zahnarztpraxis Dr. Müller, Labor Schmidt.");
        assertThat(browser.getTitle()).startsWith("(1) Es klingelt");
        assertThat(browser.findElements(By.cssSelector(".call-card[data-call-id='1764316800.43']")))
                .as("a call ringing only at Carla").isEmpty();
        screen("screen-pop");

        // N: take a message; the urgent box is ticked for an urgent call, typing starts in the first empty required field
        keys("n");
        visible(By.id("message-panel"));
        assertThat(browser.findElement(By.id("mf-urgent")).isSelected()).isTrue();
        assertThat(focusedId()).isEqualTo("mf-text");
        keys(Keys.ESCAPE);
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("message-panel")));
        assertThat(focusedId()).isEqualTo("1764316800.42");

        // D: put through, from the keyboard
        keys("d");
        // the card already says what became of the "take a message" choice; it changes once this one is answered
        waitUpTo(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d -> d.findElement(
                By.cssSelector(".call-card[data-call-id='1764316800.42'] .choice")).getText().contains("durchstellen"));
        Integer recorded = app.server.database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT COUNT(*) FROM call_choices WHERE call_id = '1764316800.42' AND choice = 'put-through'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(recorded).isEqualTo(1);
        publish(new JsonObject().put("callId", "1764316800.42").put("state", "answered").put("answeredBy", "anna"));
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".call-card.state-answered[data-call-id='1764316800.42']")));
        waitUpTo(Duration.ofSeconds(2)).until(d -> !d.getTitle().startsWith("("));
    }

    @Test
    @Order(4)
    void aRequiredIntakeFieldIsWhereTheKeyboardGoesWhenItIsEmpty() throws Exception {
        publish(new JsonObject().put("callId", "1764316900.1").put("state", "ringing").put("client", "kanzlei-berg")
                .put("caller", "+491725550000").put("targets", new JsonArray().add("PJSIP/anna")));
        By card = By.cssSelector(".call-card[data-call-id='1764316900.1']");
        visible(card);
        waitUpTo(Duration.ofSeconds(2)).until(d -> "1764316900.1".equals(focusedId()));
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.textToBePresentInElementLocated(card,
                "Fristsachen sofort an Dr. Berg"));
        keys("n");
        visible(By.id("message-panel"));
        assertThat(focusedId()).isEqualTo("mf-text");
        keys("Bitte Rückruf wegen Frist.");
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        // not stored: the required intake field is empty, and the keyboard is taken there
        waitUpTo(Duration.ofSeconds(2)).withMessage(() -> "focus on " + js("return document.activeElement.outerHTML"))
                .until(d -> "INPUT".equals(focusedId()));
        assertThat((String) js("return document.activeElement.dataset.intake")).isEqualTo("Aktenzeichen");
        assertThat(Stores.on(app.server.database()).messages().list(MessageFilter.all().forClient("kanzlei-berg"))).isEmpty();
        keys("12 O 345/26");
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("message-panel")));
        List<Message> stored = Stores.on(app.server.database()).messages().list(MessageFilter.all().forClient("kanzlei-berg"));
        assertThat(stored).singleElement().satisfies(m -> assertThat(m.intakeJson()).contains("12 O 345/26"));
        publish(new JsonObject().put("callId", "1764316900.1").put("state", "ended"));
    }

    @Test
    @Order(5)
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
    @Order(6)
    void theInboxListsFiltersAndPlaysMessagesAndChangesTheirState() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("no-recordings-configured"));
        long voice = Stores.on(app.server.database()).messages().add(Message.received(Instant.now(), "smith", "+442079460123",
                "+447700900999", null, MessageKind.RECORDING, null, recordings.resolve("vz-9.wav").toString(), false, "9"));
        browser.findElement(By.cssSelector(".tab[data-view=inbox]")).click();
        WebElement row = visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        assertThat(row.getText()).contains("Zahnarztpraxis Dr. Müller", "dringend", "Laborbefund");
        WebElement player = visible(By.cssSelector(".msg[data-id='" + voice + "'] audio"));
        assertThat(player.getAttribute("src")).endsWith("/api/v1/messages/" + voice + "/recording");
        assertThat(player.getAttribute("aria-label")).startsWith("Sprachnachricht von");
        browser.findElement(By.id("f-urgent")).click();
        visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        browser.findElement(By.id("f-urgent")).click();
        visible(By.cssSelector(".msg[data-id='" + urgentMessageId + "']"));
        screen("inbox");
        browser.findElement(By.cssSelector(".msg[data-id='" + urgentMessageId + "'] .btn:not(.ghost)")).click(); // done
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".msg.st-done[data-id='" + urgentMessageId + "']")));
        assertThat(Stores.on(app.server.database()).messages().get(urgentMessageId).orElseThrow().state().word()).isEqualTo("done");
    }

    @Test
    @Order(7)
    void theBoardShowsAndSetsStatusWithANoteAndWhoIsOnDuty() throws Exception {
        Call vipForWagner = Call.of("089 5554321", "089 5550000"); // Hausverwaltung Maier, VIP
        assertThat(app.server.routing().decide(vipForWagner).status()).isNotEqualTo(Status.DND);
        browser.findElement(By.cssSelector(".tab[data-view=board]")).click();
        By wagner = By.cssSelector(".client-row[data-client='elektro-wagner']");
        visible(wagner);
        // by the office hours now: that button is the pressed one
        assertThat(browser.findElement(wagner).findElement(By.cssSelector("button[data-status=schedule]"))
                .getAttribute("aria-pressed")).isEqualTo("true");
        // the board may be re-rendered by its own refresh between finding a button and clicking it
        clickIn(wagner, By.cssSelector("button[data-status=dnd]"));
        visible(By.cssSelector(".client-row[data-client='elektro-wagner'] .picker .note-input")).sendKeys("Baustelle Pasing");
        clickIn(wagner, By.cssSelector(".picker button[data-duration='1h']"));
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".client-row[data-client='elektro-wagner'] .pill.st-dnd")));
        waitUpTo(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class).until(d -> "true".equals(
                d.findElement(wagner).findElement(By.cssSelector("button[data-status=dnd]")).getAttribute("aria-pressed")));
        assertThat(browser.findElement(wagner).getText()).contains("Baustelle Pasing");
        Decision d = app.server.routing().decide(vipForWagner);
        assertThat(d.status()).isEqualTo(Status.DND);
        assertThat(d.why()).anyMatch(w -> w.contains("dnd"));
        assertThat(Stores.on(app.server.database()).overrides().all()).anyMatch(o -> o.kind() == OverrideKind.DND
                && "Baustelle Pasing".equals(o.note()));

        // an unreadable number is refused in the console's language, not the server's English
        By mueller = By.cssSelector(".client-row[data-client='mueller']");
        clickIn(mueller, By.cssSelector("button[data-action=expect]"));
        visible(By.cssSelector(".client-row[data-client='mueller'] .expect-number")).sendKeys("keine Nummer");
        browser.findElement(mueller).findElement(By.cssSelector(".picker button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("toast"), "Das ist keine lesbare Rufnummer."));

        Call stranger = Call.of("030 1234567", "0171 5556677");
        assertThat(app.server.routing().decide(stranger).caller().callerClass()).isEqualTo(CallerClass.UNKNOWN);
        WebElement number = browser.findElement(mueller).findElement(By.cssSelector(".expect-number"));
        number.clear();
        number.sendKeys("0171 5556677");
        browser.findElement(mueller).findElement(By.cssSelector(".expect-note")).sendKeys("Rückruf Dr. Krause");
        new Select(browser.findElement(mueller).findElement(By.cssSelector(".picker select"))).selectByValue("2h");
        browser.findElement(mueller).findElement(By.cssSelector(".picker button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".client-row[data-client='mueller'] .expected")));
        Decision expected = app.server.routing().decide(stranger);
        assertThat(expected.caller().callerClass()).isEqualTo(CallerClass.EXPECTED);
        assertThat(expected.action()).isEqualTo(Action.PUT_THROUGH);

        // duty: Anna sees who is on duty and goes off duty herself; the next screened call does not ring her
        assertThat(visible(By.cssSelector("#duty-list li[data-secretary=carla]")).getText()).contains("im Dienst");
        WebElement toggle = visible(By.id("duty-toggle"));
        assertThat(toggle.getAttribute("aria-pressed")).isEqualTo("true");
        screen("board");
        toggle.click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(By.id("duty-toggle"), "aria-pressed", "false"));
        assertThat(browser.findElement(By.cssSelector("#duty-list li[data-secretary=anna]")).getText()).contains("nicht im Dienst");
        assertThat(app.server.routing().decide(Call.of("030 1234567", "030 5550000")).target()).doesNotContain("PJSIP/anna");
        browser.findElement(By.id("duty-toggle")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.attributeToBe(By.id("duty-toggle"), "aria-pressed", "true"));
    }

    @Test
    @Order(8)
    void theUiSwitchesToEnglishServerErrorsAndStandIncluded() throws Exception {
        browser.findElement(By.cssSelector(".topbar .lang[data-lang=en]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.cssSelector(".tab[data-view=board]"), "Clients"));
        assertThat(browser.findElement(By.cssSelector(".client-row[data-client='elektro-wagner'] .pill")).getText())
                .isEqualTo("do not disturb");
        assertThat(browser.findElement(By.id("board-at")).getText()).startsWith("As of ");
        By mueller = By.cssSelector(".client-row[data-client='mueller']");
        clickIn(mueller, By.cssSelector("button[data-action=expect]"));
        visible(By.cssSelector(".client-row[data-client='mueller'] .expect-number")).sendKeys("no number");
        browser.findElement(mueller).findElement(By.cssSelector(".picker button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("toast"), "That is not a readable phone number."));
        browser.findElement(By.cssSelector(".topbar .lang[data-lang=de]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.cssSelector(".tab[data-view=board]"), "Mandanten"));
    }

    @Test
    @Order(9)
    void theShortcutsAreListedInTheConsole() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        js("document.activeElement.blur()");
        keys("?");
        WebElement dialog = visible(By.id("keys-dialog"));
        assertThat(dialog.getText()).contains("Klingelnden Anruf durchstellen", "Nachricht speichern");
        screen("shortcuts");
        keys(Keys.ESCAPE);
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("keys-dialog")));
        keys("2");
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(By.id("view-inbox")));
        keys("1");
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(By.id("view-calls")));
    }

    @Test
    @Order(10)
    void theAdminSeesWhatEachClientCosts() throws Exception {
        browser.findElement(By.id("logout")).click();
        visible(By.id("login-user")).clear();
        browser.findElement(By.id("login-user")).sendKeys("admin");
        browser.findElement(By.id("login-password")).sendKeys(VorzimmerServer.DEMO_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        visible(By.cssSelector(".tab[data-view=admin]"));
        // the admin's top bar fits at 1024×640: nothing cut off
        viewport(SMALL);
        assertThat(inView(browser.findElement(By.id("logout")))).as("logout visible at 1024×640").isTrue();
        viewport(WIDE);

        // a call answered by a secretary for 31 s this month: 60 s at the 30 s step
        Instant now = Instant.now();
        Stores.on(app.server.database()).calls().append(new de.vorzimmer.calls.CallLogEntry(0, now.minusSeconds(120), "1764400000.5",
                "asterisk", "mueller", "+49301234567", "+49305550000", "unknown", "available", "screen", false, "{}"));
        var times = new de.vorzimmer.usage.CallTimes(Stores.on(app.server.database()).database());
        times.answered("1764400000.5", "mueller", "screen", "PJSIP/anna", now.minusSeconds(100));
        times.ended("1764400000.5", now.minusSeconds(69));
        browser.findElement(By.cssSelector(".tab[data-view=usage]")).click();
        WebElement row = visible(By.cssSelector("#usage-table tr[data-client=mueller]"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.cssSelector("#usage-table tr[data-client=mueller]"))
                .getText().matches(".*Müller( \\d+)+.*"));
        row = browser.findElement(By.cssSelector("#usage-table tr[data-client=mueller]"));
        List<String> cells = row.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(1)).isEqualTo("1");   // answered by a secretary
        assertThat(cells.get(2)).isEqualTo("1");   // minutes (60 s)
        assertThat(browser.findElements(By.cssSelector("#usage-chart svg rect.bar"))).isNotEmpty();
        assertThat(browser.findElement(By.id("u-csv")).getAttribute("href")).contains("/api/v1/usage?").contains("format=csv");
        screen("usage");
    }

    @Test
    @Order(11)
    void theAdminRejectsABrokenBookWithNumberedLinesAndKeepsEditsWhenCreatingAToken() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=admin]")).click();
        WebElement yaml = visible(By.id("book-yaml"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !yaml.getAttribute("value").isEmpty());
        long before = Stores.on(app.server.database()).books().currentVersion().orElseThrow().id();
        String broken = yaml.getAttribute("value").replaceFirst("from: \"?08:30\"?", "from: \"25:00\"");
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", yaml, broken);
        int lines = broken.split("\n", -1).length;
        assertThat(browser.findElement(By.id("book-gutter")).getAttribute("textContent")).contains("\n" + lines + "\n");

        // a token made now leaves the edited book as it is, and can be copied
        browser.findElement(By.id("tf-name")).sendKeys("crm");
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        WebElement token = visible(By.id("token-value"));
        assertThat(token.getText()).startsWith("vzt_");
        assertThat(browser.findElement(By.id("book-yaml")).getAttribute("value")).isEqualTo(broken);
        browser.findElement(By.id("token-copy")).click();
        assertThat(visible(By.id("token-copied")).getText()).isNotEmpty();

        browser.findElement(By.id("book-save")).click();
        WebElement problem = visible(By.cssSelector("#book-problems li button"));
        WebElement list = browser.findElement(By.id("book-problems"));
        assertThat(list.getText()).contains("Mandant „mueller“", "hours[0].from = „25:00“", "keine Uhrzeit HH:MM")
                .doesNotContain("not a time");
        int line = Integer.parseInt(problem.getText().replaceAll("\\D", ""));
        problem.click();
        assertThat(browser.findElement(By.id("book-pos")).getText()).isEqualTo("Zeile " + line);
        assertThat(Stores.on(app.server.database()).books().currentVersion().orElseThrow().id()).isEqualTo(before);
        screen("admin");
    }

    @Test
    @Order(12)
    void aTwilioCallsCardSaysWhyAChoiceWasNotCarriedOut() throws Exception {
        // the admin sees every call; this server has no Twilio account, so nothing can redirect a Twilio call
        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        String callSid = "CA0123456789abcdef0123456789abcdef";
        publish(new CallUpdate(callSid, CallState.RINGING, "mueller",
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
                "Vermerkt, aber nicht umgeleitet: zur Mailbox – keine Telefonanlage verbunden, die den Anruf umleiten könnte"));
        noScriptErrors("calls");
    }
}
