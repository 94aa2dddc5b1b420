package de.vorzimmer.console;

import de.vorzimmer.store.Stores;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.vorzimmer.config.Config;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.testing.LogCapture;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console login's brute-force protection on the real server (demo logins, real PBKDF2, the server's clock moved
 * by hand): wrong passwords are answered 401 until the limit, then 429 with Retry-After, without a password check.
 */
class LoginLimitTest {
    static final String PASSWORD = VorzimmerServer.DEMO_PASSWORD;
    static final Duration WINDOW = Duration.ofMinutes(15);

    @TempDir
    static Path dir;
    static SettableClock clock;
    static ConsoleServer app;

    final BlockingQueue<JsonObject> alerts = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> alertConsumer;
    @RegisterExtension
    final LogCapture log = new LogCapture(ConsoleAuth.class);

    @BeforeAll
    static void start() throws Exception {
        clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        // defaults per username (5 in 15 min); the address limit out of the way, all tests come from 127.0.0.1
        app = new ConsoleServer(dir, clock, Map.of(Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, "1000"));
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @BeforeEach
    void listen() {
        alertConsumer = app.server.vertx().eventBus().consumer(CallFeed.ALERTS, m -> alerts.add(m.body()));
    }

    @AfterEach
    void unlisten() {
        alertConsumer.unregister();
    }

    static HttpResponse<String> login(ConsoleServer server, String user, String password) throws Exception {
        return server.send("POST", "/auth/login", Map.of(),
                new JsonObject().put("username", user).put("password", password).encode());
    }

    static int sessionsOf(ConsoleServer server, String user) {
        return Stores.on(server.server.database()).database().read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM console_sessions WHERE username = ?")) {
                p.setString(1, user);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Test
    void wrongPasswordsAre401UntilTheLimitThenEvenTheRightOneIs429UntilTheWindowEnds() throws Exception {
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = login(app, "ben", "wrong-password-" + i);
            assertThat(r.statusCode()).as("wrong password %d", i).isEqualTo(401);
        }
        HttpResponse<String> locked = login(app, "ben", "wrong-password-6");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue("900");
        JsonObject body = new JsonObject(locked.body());
        assertThat(body.getString("error")).isEqualTo("too many failed logins for this username; try again in 15 min");
        assertThat(body.getLong("retryAfter")).isEqualTo(900);

        int before = sessionsOf(app, "ben");
        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> right = login(app, "ben", PASSWORD);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(right.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(sessionsOf(app, "ben")).isEqualTo(before);

        clock.advance(Duration.ofMinutes(5));
        HttpResponse<String> after = login(app, "ben", PASSWORD);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(sessionsOf(app, "ben")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownUsernameIsLockedLikeAKnownOneAndOnlyTheKnownOneIsAnAlert() throws Exception {
        for (int i = 1; i <= 5; i++) assertThat(login(app, "nobody", "secret-guess-" + i).statusCode()).isEqualTo(401);
        HttpResponse<String> locked = login(app, "nobody", "secret-guess-6");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue("900");

        for (int i = 1; i <= 5; i++) assertThat(login(app, "anna", "secret-guess-" + i).statusCode()).isEqualTo(401);
        assertThat(login(app, "anna", PASSWORD).statusCode()).isEqualTo(429);

        // published in order: had "nobody" raised one, it would come first
        JsonObject alert = alerts.poll(10, TimeUnit.SECONDS);
        assertThat(alert).as("alert for anna's lock").isNotNull();
        assertThat(alert.getString("type")).isEqualTo("login-locked");
        assertThat(alert.getString("user")).isEqualTo("anna");
        assertThat(alert.getString("audience")).isEqualTo(CallFeed.ADMINS);
        assertThat(alert.getInteger("failures")).isEqualTo(5);
        assertThat(Instant.parse(alert.getString("until"))).isEqualTo(clock.instant().plus(WINDOW));
        assertThat(alert.encode()).doesNotContain("secret-guess");

        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "console: 5 failed logins for 'nobody' within 15 min: username locked until " + clock.instant().plus(WINDOW),
                        "console: 5 failed logins for 'anna' within 15 min: username locked until " + clock.instant().plus(WINDOW));
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("secret-guess"));
    }

    @Test
    void aSuccessfulLoginStartsTheUsernameAfresh() throws Exception {
        for (int i = 1; i <= 4; i++) assertThat(login(app, "carla", "not-it-" + i).statusCode()).isEqualTo(401);
        assertThat(login(app, "carla", PASSWORD).statusCode()).isEqualTo(200);
        // without the reset the first of these would be the fifth failure and the second refused
        assertThat(login(app, "carla", "not-it-5").statusCode()).isEqualTo(401);
        assertThat(login(app, "carla", "not-it-6").statusCode()).isEqualTo(401);
    }

    @Test
    void theAddressLimitHoldsAcrossUsernamesAndRefusesEvenARightPassword(@TempDir Path own) throws Exception {
        try (ConsoleServer server = new ConsoleServer(own, clock, Map.of(
                Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, "4", Config.CONSOLE_LOGIN_MAX_FAILURES, "100"))) {
            MessageConsumer<JsonObject> consumer = server.server.vertx().eventBus()
                    .consumer(CallFeed.ALERTS, m -> alerts.add(m.body()));
            try {
                for (String user : new String[] {"admin", "anna", "someone", "else"}) {
                    assertThat(login(server, user, "guess-" + user).statusCode()).as(user).isEqualTo(401);
                }
                HttpResponse<String> locked = login(server, "ben", PASSWORD);
                assertThat(locked.statusCode()).isEqualTo(429);
                assertThat(new JsonObject(locked.body()).getString("error"))
                        .isEqualTo("too many failed logins from this address; try again in 15 min");
                assertThat(sessionsOf(server, "ben")).isZero();
                JsonObject alert = alerts.poll(10, TimeUnit.SECONDS);
                assertThat(alert).isNotNull();
                assertThat(alert.getString("address")).isEqualTo("127.0.0.1");
                assertThat(alert.getInteger("failures")).isEqualTo(4);
            } finally {
                consumer.unregister();
            }
        }
    }
}
