package de.vorzimmer.asterisk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks free text (a typed message on the phone-in line) as a sound file Asterisk can play: {@code espeak-ng}
 * renders it, {@code sox} turns it into 8 kHz mono 16-bit WAV, in a folder Asterisk reads (the recordings folder,
 * which the PBX shares with the server anyway for the recorded messages). Files are named by a hash of language
 * and text, so each text is rendered once. Without the two programs nothing is spoken and callers are told to
 * read the message in the console.
 */
public final class Speech {
    private static final Logger LOG = LoggerFactory.getLogger(Speech.class);
    /** Longest text spoken; longer messages are cut (the full text is in the console and SMS). */
    static final int MAX_TEXT = 600;
    private static final Speech NONE = new Speech(null);

    private final Path folder;

    private Speech(Path folder) {
        this.folder = folder;
    }

    /** Speech into {@code folder} if {@code espeak-ng} and {@code sox} can be run, else {@link #none()}. */
    public static Speech in(Path folder) {
        if (!runs("espeak-ng", "--version") || !runs("sox", "--version")) {
            LOG.info("phone-in: espeak-ng or sox not found: typed messages are not spoken on Asterisk");
            return NONE;
        }
        return new Speech(folder.toAbsolutePath());
    }

    public static Speech none() {
        return NONE;
    }

    public boolean available() {
        return folder != null;
    }

    /**
     * The sound for {@code text} in {@code language} (a path without extension, as Asterisk's {@code STREAM FILE}
     * wants it), rendered now if it was not before; empty if it cannot be spoken. Blocking: runs two short
     * processes the first time.
     */
    public Optional<String> speak(String text, String language) {
        if (folder == null || text == null || text.isBlank()) return Optional.empty();
        String clean = text.strip().replaceAll("\\s+", " ");
        if (clean.length() > MAX_TEXT) clean = clean.substring(0, MAX_TEXT);
        String voice = "de".equals(language) ? "de" : "en";
        Path wav = folder.resolve("tts-" + hash(voice + "\n" + clean) + ".wav");
        try {
            if (!Files.isRegularFile(wav)) render(clean, voice, wav);
            String file = wav.toString();
            return Optional.of(file.substring(0, file.length() - ".wav".length()));
        } catch (IOException e) {
            LOG.warn("phone-in: could not speak a typed message: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void render(String text, String voice, Path wav) throws IOException {
        Files.createDirectories(folder);
        Path raw = Files.createTempFile(folder, "tts-", ".raw.wav");
        Path part = Files.createTempFile(folder, "tts-", ".part.wav");
        try {
            // the text goes in as one argument, never through a shell
            run(List.of("espeak-ng", "-v", voice, "-s", "150", "-w", raw.toString(), "--", text));
            run(List.of("sox", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", part.toString()));
            Files.move(part, wav, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(part);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 15 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed (" + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
