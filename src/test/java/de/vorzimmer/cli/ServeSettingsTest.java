package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vorzimmer serve} with settings that parse but cannot be used: exit 2, one line naming the key, and no
 * database file made for a server that never starts. (A test that fails would start a server and hang: each has a
 * time-out.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeSettingsTest {
    static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("data/vz.db");
    }

    /** Free ports on loopback for both listeners, plus {@code extra} settings. */
    private Map<String, String> env(Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("VORZIMMER_HTTP_HOST", "127.0.0.1");
        env.put("VORZIMMER_AGI_HOST", "127.0.0.1");
        env.put("VORZIMMER_HTTP_PORT", String.valueOf(freePort()));
        env.put("VORZIMMER_AGI_PORT", String.valueOf(freePort()));
        env.putAll(extra);
        return env;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private CliRun serve(Map<String, String> env, String... flags) {
        String[] args = new String[flags.length + 3];
        args[0] = "serve";
        args[1] = "--db";
        args[2] = db().toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        return CliRun.run(NOW, env, args);
    }

    private void assertRefused(CliRun r, String... parts) {
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.errLine()).doesNotContain("\n").doesNotContain("internal error").startsWith("vorzimmer: ")
                .contains(parts);
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(db())).as("database file made for a server that never started").isFalse();
    }

    @Test
    void aTwilioPublicUrlThatIsNoHttpUrlNamesTheKey() throws IOException {
        CliRun r = serve(env(Map.of("VORZIMMER_TWILIO_PUBLIC_URL", "ftp://x", "VORZIMMER_TWILIO_AUTH_TOKEN", "secret-token")));
        assertRefused(r, "twilio.public-url");
    }

    @Test
    void aTooShortAdminPasswordNamesTheKeyAndNotThePassword() throws IOException {
        CliRun r = serve(env(Map.of("VORZIMMER_CONSOLE_ADMIN_PASSWORD", "a")));
        assertRefused(r, "console.admin-password", "at least 8 characters");
        assertThat(r.err()).doesNotContain("'a'");
    }

    @Test
    void anOverlongAdminPasswordNamesTheKey() throws IOException {
        CliRun r = serve(env(Map.of("VORZIMMER_CONSOLE_ADMIN_PASSWORD", "x".repeat(201))));
        assertRefused(r, "console.admin-password", "at most 200 characters");
    }

    @Test
    void nodesOnPostgresqlMustNameTheirSharedPinKeyFile() {
        CliRun r = CliRun.run(NOW, Map.of(), "serve", "--db", "jdbc:postgresql://127.0.0.1:1/vz");
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.errLine()).doesNotContain("\n").startsWith("vorzimmer: ").contains("pin.pepper-file", "every node");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anHttpPortInUseIsOneLineNamingPortAndKey() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            CliRun r = serve(env(Map.of()), "--http-port", String.valueOf(port));
            assertRefused(r, "http.port", "port " + port, "in use");
        }
    }

    @Test
    void aFastAgiPortInUseIsOneLineNamingPortAndKey() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            CliRun r = serve(env(Map.of("VORZIMMER_AGI_PORT", String.valueOf(port))));
            assertRefused(r, "agi.port", "port " + port, "in use");
        }
    }
}
