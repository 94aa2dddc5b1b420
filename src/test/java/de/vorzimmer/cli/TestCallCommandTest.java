package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vorzimmer test-call}: what it refuses before it speaks to a PBX (the call itself: AsteriskSandboxTest). */
class TestCallCommandTest {
    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    @TempDir
    Path dir;

    @Test
    void withoutAmiItSaysWhatToConfigure() throws Exception {
        Path config = dir.resolve("vz.yaml");
        Files.writeString(config, "http: { port: 8080 }\n");
        CliRun run = CliRun.run(NOW, "test-call", "--config", config.toString(), "--to", "+49309990000", "--from", "+49305550000");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLine()).isEqualTo("vorzimmer: no AMI configured: set ami.host, ami.user and ami.secret "
                + "(--config FILE or VORZIMMER_AMI_HOST)");
    }

    @Test
    void numbersThatAreNoNumbersAreRefusedWithTheirOption() throws Exception {
        Path config = dir.resolve("vz.yaml");
        Files.writeString(config, "ami: { host: 127.0.0.1, port: 5038, user: vorzimmer, secret: s3cret }\n");
        CliRun to = CliRun.run(NOW, "test-call", "--config", config.toString(), "--to", "030 123;Dial", "--from", "+49305550000");
        assertThat(to.exit()).isEqualTo(2);
        assertThat(to.errLine()).isEqualTo("vorzimmer: --to '030 123;Dial' is not a number (digits, optional +)");
        CliRun from = CliRun.run(NOW, "test-call", "--config", config.toString(), "--to", "+49309990000", "--from", "x@y");
        assertThat(from.errLine()).startsWith("vorzimmer: --from 'x@y' is not a number");
        CliRun fwd = CliRun.run(NOW, "test-call", "--config", config.toString(), "--to", "+49309990000",
                "--forwarded-from", "abc");
        assertThat(fwd.errLine()).isEqualTo("vorzimmer: --forwarded-from 'abc' is not a number");
    }

    @Test
    void anUnreachablePbxIsOneLineAndExitOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path config = dir.resolve("vz.yaml");
        Files.writeString(config, "ami: { host: 127.0.0.1, port: " + closed + ", user: vorzimmer, secret: s3cret }\n");
        CliRun run = CliRun.run(NOW, "test-call", "--config", config.toString(), "--to", "+49309990000");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.errLine()).startsWith("vorzimmer: test-call: ");
    }
}
