package de.vorzimmer.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A secretary's console in Debian's headless Chromium (German, Berlin time, 1360×900), for the browser tests. */
public final class Chromium {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Chromium() {
    }

    /** A new browser with a profile of its own below {@code dir}. */
    public static WebDriver start(Path dir, String name) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-" + name), "--window-size=1360,900",
                "--lang=de-DE");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "de-DE,de"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", "Europe/Berlin")).build();
        WebDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return d;
    }

    /** A wait that polls every 25 ms and reads the page afresh when a live update redrew it meanwhile. */
    public static WebDriverWait waitUpTo(WebDriver b, Duration d) {
        WebDriverWait w = new WebDriverWait(b, d);
        w.pollingEvery(Duration.ofMillis(25));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Logs {@code user} in at {@code base} and waits until the live feed is connected. */
    public static void logIn(WebDriver b, String base, String user, String password) {
        b.get(base + "/");
        waitUpTo(b, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")))
                .sendKeys(user);
        b.findElement(By.id("login-password")).sendKeys(password);
        b.findElement(By.id("login-submit")).click();
        waitUpTo(b, Duration.ofSeconds(10)).until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
    }

    /** A call card's first line as shown (the style writes it in capitals), in lower case. */
    public static String kicker(WebDriver b, String callId) {
        return b.findElement(By.cssSelector(".call-card[data-call-id='" + callId + "'] .call-kicker")).getText()
                .toLowerCase(java.util.Locale.GERMAN);
    }
}
