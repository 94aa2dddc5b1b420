package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.MessageKind;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Messages from the PBX go into the store once, and an urgent one queues the client's SMS with it. */
class CallMessagesTest {
    @RegisterExtension
    final CallMessagesRig rig = new CallMessagesRig("""
            version: 1
            clients:
              - { id: mueller, name: Dr. Müller, lines: ["030 1234567"], reach: "0170 1111111" }
              - { id: quiet, name: Ohne SMS, lines: ["030 7654321"] }
            """);

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
        OptionalLong id = rig.messages.recording(recording("1.1", "mueller", true));

        assertThat(id).isPresent();
        assertThat(rig.store.outbox().forMessage(id.getAsLong())).hasSize(1)
                .allSatisfy(n -> assertThat(n.to()).isEqualTo("+491701111111"));
    }

    @Test
    void theSameRecordingReportedTwiceIsStoredAndNotifiedOnce() {
        OptionalLong first = rig.messages.recording(recording("2.1", "mueller", true));
        OptionalLong again = rig.messages.recording(recording("2.1", "mueller", true));

        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(rig.messages.has("2.1", MessageKind.RECORDING)).isTrue();
        assertThat(rig.store.outbox().forMessage(first.getAsLong())).hasSize(1);
    }

    @Test
    void aNormalRecordingOrAClientWithoutSmsQueuesNothing() {
        OptionalLong normal = rig.messages.recording(recording("3.1", "mueller", false));
        OptionalLong noSms = rig.messages.recording(recording("3.2", "quiet", true));

        assertThat(rig.store.outbox().forMessage(normal.getAsLong())).isEmpty();
        assertThat(rig.store.outbox().forMessage(noSms.getAsLong())).isEmpty();
    }
}
