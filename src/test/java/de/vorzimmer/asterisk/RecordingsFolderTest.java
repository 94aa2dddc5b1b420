package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings folder as the operator meets it: what is wrong with it is told in its own words, and when Asterisk
 * names the folder by another path than this server ({@code asterisk.recordings-pbx-path}), stored messages carry
 * the path this server can read.
 */
class RecordingsFolderTest {
    static final Path PBX_FOLDER = Path.of("/var/spool/asterisk/vorzimmer");
    @TempDir
    Path dir;
    @RegisterExtension
    final CallMessagesRig rig = new CallMessagesRig("""
            version: 1
            clients:
              - { id: mueller, name: Dr. Müller, lines: ["030 1234567"] }
            """);

    @Test
    void aMissingFolderAndAFileInItsPlaceAreToldApart() throws Exception {
        assertThat(RecordingImporter.unusable(dir.resolve("no-such-folder"))).isEqualTo("does not exist");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(RecordingImporter.unusable(file)).isEqualTo("is not a folder");
        assertThat(RecordingImporter.unusable(dir)).isNull();
        assertThat(new RecordingImporter(dir.resolve("no-such-folder"), rig.messages).scan()).isZero();
    }

    @Test
    void asteriskPathsUnderTheMappedFolderAreReadUnderTheServersOwn() {
        Path local = dir.resolve("recordings");
        AsteriskLive.Settings settings = new AsteriskLive.Settings(null, local, new DialStrings("Local/{number}@vorzimmer-reach"),
                PBX_FOLDER);
        assertThat(settings.local(PBX_FOLDER.resolve("vz-1.1.wav").toString()))
                .isEqualTo(local.resolve("vz-1.1.wav").toString());
        assertThat(settings.local(PBX_FOLDER.resolve("2026/12/vz-1.2.wav").toString()))
                .isEqualTo(local.resolve("2026/12/vz-1.2.wav").toString());
        // outside the mapped folder, and without a mapping, a path stays as Asterisk wrote it
        assertThat(settings.local("/var/spool/asterisk/monitor/x.wav")).isEqualTo("/var/spool/asterisk/monitor/x.wav");
        assertThat(settings.local("/var/spool/asterisk/vorzimmer-old/x.wav")).isEqualTo("/var/spool/asterisk/vorzimmer-old/x.wav");
        AsteriskLive.Settings unmapped = new AsteriskLive.Settings(null, local, new DialStrings("Local/{number}@vorzimmer-reach"));
        assertThat(unmapped.local(PBX_FOLDER.resolve("vz-1.1.wav").toString())).isEqualTo(PBX_FOLDER.resolve("vz-1.1.wav").toString());
    }

    @Test
    void aSidecarImportedFromTheSharedFolderStoresTheServersPath() throws Exception {
        Path local = Files.createDirectories(dir.resolve("recordings"));
        AsteriskLive.Settings settings = new AsteriskLive.Settings(null, local, new DialStrings("Local/{number}@vorzimmer-reach"),
                PBX_FOLDER);
        Files.writeString(local.resolve("vz-1795833096.7.txt"), """
                uniqueid=1795833096.7
                time=2026-12-06T08:01:02Z
                caller=+49305553333
                dialed=+49301234567
                client=mueller
                urgent=0
                fallback=0
                recording=/var/spool/asterisk/vorzimmer/vz-1795833096.7.wav
                """);
        RecordingImporter importer = new RecordingImporter(local, rig.messages, settings::local);

        assertThat(importer.scan()).isEqualTo(1);
        Message stored = rig.store.messages().list(de.vorzimmer.messages.MessageFilter.all()).get(0);
        assertThat(stored.recordingPath()).isEqualTo(local.resolve("vz-1795833096.7.wav").toString());
        assertThat(stored.callId()).isEqualTo("1795833096.7");
    }
}
