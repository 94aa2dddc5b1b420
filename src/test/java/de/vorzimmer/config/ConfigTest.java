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

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "console.login.max-failures | -1 | console.login.max-failures: '-1' is not a whole number from 0 to 10000",
            "console.login.max-failures-per-address | many | console.login.max-failures-per-address: 'many' is not a whole number from 0 to 10000",
            "console.login.window | 0m | console.login.window: '0m' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
            "retention.twilio-calls | 7 days | retention.twilio-calls: '7 days' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
            "housekeeping.interval | -1h | housekeeping.interval: '-1h' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)",
    })
    void aBadValueStopsTheStartNamingTheKey(String key, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(null, Map.of(), Map.of(key, value)));
        assertThat(e.getMessage()).isEqualTo(message);
    }
}
