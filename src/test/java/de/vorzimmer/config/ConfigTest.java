package de.vorzimmer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void loginLimitsAndRetentionHaveTheirDocumentedDefaults() {
        Config c = Config.defaults();
        assertThat(c.integer(Config.CONSOLE_LOGIN_MAX_FAILURES, 0, 100)).isEqualTo(5);
        assertThat(c.integer(Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, 0, 100)).isEqualTo(20);
        assertThat(c.duration(Config.CONSOLE_LOGIN_WINDOW)).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.duration(Config.HOUSEKEEPING_INTERVAL)).isEqualTo(Duration.ofHours(1));
        assertThat(c.duration(Config.RETENTION_TWILIO_CALLS)).isEqualTo(Duration.ofDays(7));
        assertThat(c.duration(Config.RETENTION_PHONEIN_SESSIONS)).isEqualTo(Duration.ofDays(1));
        assertThat(c.duration(Config.RETENTION_CALL_LOG)).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void nestedFileKeysAndTheEnvironmentSetThem() throws Exception {
        Path file = dir.resolve("vz.yaml");
        Files.writeString(file, "console:\n  login: { max-failures: 3, window: 1h }\nretention: { call-log: P400D }\n");
        Config c = Config.load(file, Map.of("VORZIMMER_CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS", "0"), Map.of());
        assertThat(c.integer(Config.CONSOLE_LOGIN_MAX_FAILURES, 0, 100)).isEqualTo(3);
        assertThat(c.integer(Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, 0, 100)).isZero();
        assertThat(c.duration(Config.CONSOLE_LOGIN_WINDOW)).isEqualTo(Duration.ofHours(1));
        assertThat(c.duration(Config.RETENTION_CALL_LOG)).isEqualTo(Duration.ofDays(400));
    }

    /** Every key nested or flat, at any depth, mixed; a key with a value of its own takes its keys below flat. */
    @Test
    void nestedAndFlatFormsAreTheSameSetting() throws Exception {
        Path nested = dir.resolve("nested.yaml");
        Files.writeString(nested, """
                db: { synchronous: normal }
                console: { login.window: 30m }
                metrics: { enabled: true, token: t0k3n }
                log: { call-level: debug }
                agi: { request-timeout: 2s }
                usage: { step: 1m }
                """);
        Path flat = dir.resolve("flat.yaml");
        Files.writeString(flat, """
                db: /var/lib/vorzimmer/vorzimmer.db
                db.synchronous: normal
                console.login: { window: 30m }
                metrics.enabled: true
                metrics.token: t0k3n
                log.call-level: debug
                agi.request-timeout: 2s
                usage.step: 1m
                """);
        for (Path file : new Path[] {nested, flat}) {
            Config c = Config.load(file, Map.of(), Map.of());
            assertThat(c.string(Config.DB_SYNC)).as(file.toString()).isEqualTo("normal");
            assertThat(c.duration(Config.CONSOLE_LOGIN_WINDOW)).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.bool(Config.METRICS_ENABLED)).isTrue();
            assertThat(c.string(Config.METRICS_TOKEN)).isEqualTo("t0k3n");
            assertThat(c.string(Config.LOG_CALL_LEVEL)).isEqualTo("debug");
            assertThat(c.duration(Config.AGI_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.usageStep()).isEqualTo(Duration.ofMinutes(1));
        }
        assertThat(Config.load(nested, Map.of(), Map.of()).string(Config.DB)).isEqualTo("data/vorzimmer.db");
        assertThat(Config.load(flat, Map.of(), Map.of()).string(Config.DB)).isEqualTo("/var/lib/vorzimmer/vorzimmer.db");
        // the secret is masked however it was written
        assertThat(Config.load(nested, Map.of(), Map.of()).describe()).containsEntry(Config.METRICS_TOKEN, "***");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "console.login.max-failures | -1 | console.login.max-failures: '-1' is not a whole number from 0 to 10000",
            "console.login.max-failures-per-address | many | console.login.max-failures-per-address: 'many' is not a whole number from 0 to 10000",
            "console.login.window | 0m | console.login.window: '0m' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
            "retention.twilio-calls | 7 days | retention.twilio-calls: '7 days' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
            "housekeeping.interval | -1h | housekeeping.interval: '-1h' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
            "metrics.enabled | yes | metrics.enabled: 'yes' is not true or false",
            "log.call-level | trace | log.call-level: 'trace' is not info, debug or off",
            "net.native-transport | epoll | net.native-transport: 'epoll' is not true or false",
    })
    void aBadValueStopsTheStartNamingTheKey(String key, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(null, Map.of(), Map.of(key, value)));
        assertThat(e.getMessage()).isEqualTo(message);
    }
}
