package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service unit kept beside the scripts ({@code scripts/systemd/vorzimmer.service}): systemd's own
 * {@code systemd-analyze verify} accepts it without a complaint, and it carries the hardening the operations guide
 * promises (scripts/test and CI install systemd's tools).
 */
class SystemdUnitTest {
    static final Path UNIT = Path.of("scripts/systemd/vorzimmer.service");
    @TempDir
    Path dir;

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAComplaint() throws Exception {
        Path copy = dir.resolve("vorzimmer.service");
        Files.copy(UNIT, copy);
        Process p = new ProcessBuilder("systemd-analyze", "verify", copy.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("systemd-analyze verify said: %s", said).isZero();
        // unknown keys and bad values are only warnings to systemd-analyze: none may name our unit
        assertThat(said.lines().filter(l -> l.contains("vorzimmer.service")).toList()).as(said).isEmpty();
    }

    @Test
    void theUnitRunsUnprivilegedWithOnlyItsStateFolderWritable() throws Exception {
        List<String> lines = Files.readAllLines(UNIT).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines).contains("User=vorzimmer", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/vorzimmer", "StateDirectory=vorzimmer", "EnvironmentFile=/etc/vorzimmer/vorzimmer.env",
                "Restart=on-failure", "RestartPreventExitStatus=2", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=");
        assertThat(lines).filteredOn(l -> l.startsWith("ReadWritePaths=")).containsExactly("ReadWritePaths=/var/lib/vorzimmer");
        assertThat(lines).noneMatch(l -> l.startsWith("User=root") || l.startsWith("AmbientCapabilities=CAP"));
    }
}
