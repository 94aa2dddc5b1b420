package de.vorzimmer.asterisk;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports recorded messages from the recordings folder ({@code asterisk.recordings}, the dialplan's
 * {@code VZ_RECDIR}): every {@code vz-UNIQUEID.txt} sidecar is stored once as a message (the dialplan writes
 * it atomically after the {@code .wav} is closed). This catches what was recorded while the server was down
 * or AMI was disconnected; the UserEvent path imports the same recordings live, and {@link CallMessages}
 * stores each one only once. Blocking (file system, JDBC): run it off the event loop, from one thread.
 */
public final class RecordingImporter {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingImporter.class);

    private final Path folder;
    private final CallMessages messages;
    private final UnaryOperator<String> localPath;
    /** Sidecars already dealt with (stored now or before, or unusable), so a scan costs no query for them. */
    private final Set<String> done = new HashSet<>();
    private boolean warnedMissing;

    public RecordingImporter(Path folder, CallMessages messages) {
        this(folder, messages, UnaryOperator.identity());
    }

    /** @param localPath a recording's path as Asterisk wrote it into the sidecar, to the path this server reads */
    public RecordingImporter(Path folder, CallMessages messages, UnaryOperator<String> localPath) {
        this.folder = Objects.requireNonNull(folder, "folder == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.localPath = Objects.requireNonNull(localPath, "localPath == null");
    }

    public Path folder() {
        return folder;
    }

    /** Looks at every sidecar in the folder; returns how many messages it stored. */
    public int scan() {
        String unusable = unusable(folder);
        if (unusable != null) {
            if (!warnedMissing) LOG.warn("recordings: folder {} {} (asterisk.recordings); nothing to import", folder, unusable);
            warnedMissing = true;
            return 0;
        }
        warnedMissing = false;
        int stored = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "vz-*.txt")) {
            for (Path file : files) {
                if (done.contains(file.getFileName().toString())) continue;
                if (importFile(file)) stored++;
            }
        } catch (IOException e) {
            LOG.warn("recordings: cannot list {}: {}", folder, e.getMessage());
        }
        if (stored > 0) LOG.info("recordings: imported {} message(s) from {}", stored, folder);
        return stored;
    }

    /**
     * Why this server cannot list {@code folder}, in the operator's words, or null if it can: missing and
     * permission denied are told apart (Debian's {@code /var/spool/asterisk} is {@code drwxr-x--- asterisk:asterisk},
     * so a server outside group {@code asterisk} cannot even see whether the folder is there).
     */
    static String unusable(Path folder) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "does not exist";
        } catch (AccessDeniedException e) {
            return "cannot be reached: permission denied on " + e.getFile() + " for user " + System.getProperty("user.name")
                    + " (add it to Asterisk's group, e.g. asterisk, and make the folders group-readable; docs/operations.md)";
        } catch (IOException e) {
            return "cannot be read: " + e;
        }
        if (!attributes.isDirectory()) return "is not a folder";
        if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
            return "cannot be listed: permission denied for user " + System.getProperty("user.name")
                    + " (add it to Asterisk's group, e.g. asterisk, and make the folder group-readable; docs/operations.md)";
        }
        return null;
    }

    /** Imports one sidecar; true if a message was stored now. */
    public boolean importFile(Path file) {
        String name = file.getFileName().toString();
        try {
            if (Files.size(file) > Sidecar.MAX_BYTES) {
                throw new SidecarException("is " + Files.size(file) + " bytes, more than " + Sidecar.MAX_BYTES);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Sidecar s = Sidecar.parse(text, Files.getLastModifiedTime(file).toInstant());
            String expected = "vz-" + s.uniqueId() + ".txt";
            if (!name.equals(expected)) throw new SidecarException("names uniqueid " + s.uniqueId() + ", expected file " + expected);
            boolean stored = messages.recording(s.withRecording(localPath.apply(s.recording()))).isPresent();
            done.add(name);
            return stored;
        } catch (NoSuchFileException e) {
            return false;
        } catch (SidecarException | CharacterCodingException e) {
            LOG.warn("recordings: sidecar {} is unusable: {}; skipped", file, e.getMessage());
            done.add(name);
            return false;
        } catch (IOException e) {
            LOG.warn("recordings: cannot read {}: {}; will retry", file, e.getMessage());
            return false;
        }
    }
}
