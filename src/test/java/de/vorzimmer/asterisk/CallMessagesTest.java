package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.store.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages from the PBX go into the store once, and an urgent one queues the client's SMS with it. */
class CallMessagesTest {
    @TempDir
    Path dir;
    private Stores store;
    private CallMessagesRig rig;
    private CallMessages messages;

    @BeforeEach
    void open() throws Exception {
        rig = new CallMessagesRig(dir, """
                version: 1
                clients:
                  - { id: mueller, name: Dr. Müller, lines: ["030 1234567"], reach: "0170 1111111" }
                  - { id: quiet, name: Ohne SMS, lines: ["030 7654321"] }
                """);
        store = rig.store;
        messages = rig.messages;
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private static Sidecar recording(String uniqueId, String client, boolean urgent) {
        return Sidecar.parse("""
                uniqueid=%s
                time=2026-11-30T08:01:02Z
                caller=+49305553333
                dialed=+49301234567
                client=%s
                urgent=%s
                fallback=0
                recording=/spool/vorzimmer/vz-%s.wav
                """.formatted(uniqueId, client, urgent ? "1" : "0", uniqueId), Instant.EPOCH);
    }

    @Test
    void anUrgentRecordingQueuesTheSmsToTheClientInTheSameTransaction() {
        OptionalLong id = messages.recording(recording("1.1", "mueller", true));

        assertThat(id).isPresent();
        assertThat(store.outbox().forMessage(id.getAsLong())).hasSize(1)
                .allSatisfy(n -> assertThat(n.to()).isEqualTo("+491701111111"));
    }

    @Test
    void theSameRecordingReportedTwiceIsStoredAndNotifiedOnce() {
        OptionalLong first = messages.recording(recording("2.1", "mueller", true));
        OptionalLong again = messages.recording(recording("2.1", "mueller", true));

        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(messages.has("2.1", MessageKind.RECORDING)).isTrue();
        assertThat(store.outbox().forMessage(first.getAsLong())).hasSize(1);
    }

    @Test
    void aNormalRecordingOrAClientWithoutSmsQueuesNothing() {
        OptionalLong normal = messages.recording(recording("3.1", "mueller", false));
        OptionalLong noSms = messages.recording(recording("3.2", "quiet", true));

        assertThat(store.outbox().forMessage(normal.getAsLong())).isEmpty();
        assertThat(store.outbox().forMessage(noSms.getAsLong())).isEmpty();
    }
}
