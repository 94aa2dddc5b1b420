package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidecarTest {
    private static final Instant MTIME = Instant.parse("2026-11-30T08:00:00Z");

    /** As the dialplan's hangup handler writes it. */
    private static final String WRITTEN = """
            uniqueid=vzt1795831343626-6b
            time=2026-11-30T08:01:02Z
            caller=+49305553333
            caller_name=
            dialed=+49309990000
            forwarded_from=+49301234567
            client=
            urgent=0
            fallback=1
            recording=/spool/vorzimmer/vz-vzt1795831343626-6b.wav
            record_status=SILENCE
            bytes=51244
            """;

    @Test
    void readsWhatTheDialplanWrites() {
        Sidecar s = Sidecar.parse(WRITTEN, MTIME);
        assertThat(s.uniqueId()).isEqualTo("vzt1795831343626-6b");
        assertThat(s.time()).isEqualTo(Instant.parse("2026-11-30T08:01:02Z"));
        assertThat(s.caller()).isEqualTo("+49305553333");
        assertThat(s.callerName()).isNull();
        assertThat(s.client()).isNull();
        assertThat(s.fallback()).isTrue();
        assertThat(s.urgent()).isFalse();
        assertThat(s.line()).isEqualTo("+49301234567");
        assertThat(s.recording()).endsWith(".wav");
    }

    @Test
    void missingTimeFallsBackToTheFileTime() {
        assertThat(Sidecar.parse(WRITTEN.replace("time=2026-11-30T08:01:02Z", "time=garbage"), MTIME).time()).isEqualTo(MTIME);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "uniqueid=|no uniqueid",
        "uniqueid=../../etc/passwd|not an Asterisk unique id",
        "recording=|no recording",
        "just garbage|not key=value"})
    void malformedSidecarIsRejectedNamingTheField(String line, String message) {
        String key = line.contains("=") ? line.substring(0, line.indexOf('=') + 1) : null;
        String text = key == null ? WRITTEN + line + "\n" : WRITTEN.replaceAll("(?m)^" + key + ".*$", line);
        SidecarException e = assertThrows(SidecarException.class, () -> Sidecar.parse(text, MTIME));
        assertThat(e.getMessage()).contains(message);
    }

    @Test
    void hugeSidecarIsRejected() {
        assertThrows(SidecarException.class, () -> Sidecar.parse(WRITTEN + "x=" + "y".repeat(10_000), MTIME));
    }

    @Test
    void userEventGivesTheSameReport() {
        VorzimmerMessageEvent e = new VorzimmerMessageEvent(this);
        e.setUniqueId("1732741234.10");
        e.setRecording("/spool/vz-1732741234.10.wav");
        e.setClient("mueller");
        e.setUrgent("1");
        e.setCaller("+49305551111");
        e.setDialed("+49309990000");
        e.setForwardedFrom("");
        e.setTime("2026-11-30T08:01:02Z");
        Sidecar s = Sidecar.of(e, MTIME);
        assertThat(s.client()).isEqualTo("mueller");
        assertThat(s.urgent()).isTrue();
        assertThat(s.line()).isEqualTo("+49309990000");
        assertThat(s.time()).isEqualTo(Instant.parse("2026-11-30T08:01:02Z"));
    }

    @Test
    void duplicatedUniqueidHeaderOfAnOlderDialplanIsRead() {
        VorzimmerMessageEvent e = new VorzimmerMessageEvent(this);
        e.setUniqueId("1732741234.10\n1732741234.10");
        e.setRecording("/spool/vz-1732741234.10.wav");
        assertThat(Sidecar.of(e, MTIME).uniqueId()).isEqualTo("1732741234.10");
    }
}
