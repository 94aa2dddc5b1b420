package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The calendar in the console, in headless Chromium: the board says the client is in a meeting and until when, the
 * screen-pop lists the client's busy times of the next days. The client's calendar is a file, read by the server's
 * background sync.
 */
@Tag("browser")
class CalendarBrowserTest {
    @TempDir
    Path dir;
    ConsoleServer app;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        app = new ConsoleServer(dir);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        Path ics = dir.resolve("mueller.ics");
        Files.writeString(ics, String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
                "BEGIN:VEVENT", "UID:now@test", "DTSTAMP:20261201T000000Z", "SUMMARY:Wurzelbehandlung",
                "DTSTART:" + utc.format(now.minus(Duration.ofHours(1))), "DTEND:" + utc.format(now.plus(Duration.ofHours(2))),
                "END:VEVENT", "BEGIN:VEVENT", "UID:tomorrow@test", "DTSTAMP:20261201T000000Z", "SUMMARY:Fortbildung",
                "DTSTART:" + utc.format(now.plus(Duration.ofDays(1))), "DTEND:" + utc.format(now.plus(Duration.ofDays(1)).plus(Duration.ofHours(3))),
                "END:VEVENT", "END:VCALENDAR", ""));
        String demo;
        try (InputStream in = getClass().getResourceAsStream(VorzimmerServer.DEMO_BOOK)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String book = demo.replace("    pin: \"4711\"", "    pin: \"4711\"\n    holidays: DE-BY\n    calendar: { url: \"" + ics + "\" }");
        ConsoleServer.Session admin = app.login(VorzimmerServer.ADMIN_USER, VorzimmerServer.DEMO_PASSWORD);
        var stored = app.send("PUT", "/api/v1/admin/book", Map.of("Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf()),
                new JsonObject().put("yaml", book).encode());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(app.server.routing().snapshot()
                .calendar("mueller").busyAt(Instant.now())).isNotNull());

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1360,1000", "--lang=de-DE");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "de-DE,de"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", "Europe/Berlin")).build(), options);
        browser.get(app.base + "/console/");
        visible(By.id("login-user")).sendKeys("anna");
        browser.findElement(By.id("login-password")).sendKeys(VorzimmerServer.DEMO_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        visible(By.id("app-view"));
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (app != null) app.close();
    }

    WebElement visible(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    @Test
    void theBoardAndTheScreenPopShowTheCalendar() throws Exception {
        browser.findElement(By.cssSelector(".tab[data-view=board]")).click();
        WebElement row = visible(By.cssSelector(".client-row[data-client=mueller]"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> row.getText().contains("Wurzelbehandlung"));
        assertThat(row.findElement(By.cssSelector(".cal-source")).getText()).startsWith("Kalender · bis ");
        shot("calendar-board");

        browser.findElement(By.cssSelector(".tab[data-view=calls]")).click();
        app.server.vertx().eventBus().publish(CallFeed.ADDRESS, new JsonObject().put("callId", "1764316900.7")
                .put("state", "ringing").put("client", "mueller").put("caller", "+4915112345678")
                .put("targets", new JsonArray().add("PJSIP/anna")).put("at", Instant.now().toString()));
        WebElement card = visible(By.cssSelector(".call-card[data-call-id='1764316900.7']"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> card.findElement(By.cssSelector(".cal-busy")).getText()
                .contains("Fortbildung"));
        assertThat(card.getText()).contains("Wurzelbehandlung", "Fortbildung", "Kalender · bis ");
        shot("calendar-screen-pop");
    }

    void shot(String name) throws Exception {
        String target = System.getProperty("vz.screenshots");
        Path shots = target == null || target.isBlank() ? Files.createDirectories(dir.resolve("shots")) : Path.of(target);
        Files.createDirectories(shots);
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
