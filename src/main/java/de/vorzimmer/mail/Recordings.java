package de.vorzimmer.mail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches a message's recording to attach it: a file the PBX wrote (Asterisk's recordings folder), or a Twilio
 * recording URL, downloaded as WAV with the account's credentials. The MIME type is one every mail program plays:
 * {@code audio/wav} or {@code audio/mpeg}.
 */
public final class Recordings {
    /** Largest recording attached; a longer one is linked in the console only. */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    /** A recording as it goes into the mail. */
    public record Audio(String fileName, String contentType, byte[] bytes) {
        public Audio {
            Objects.requireNonNull(fileName, "fileName == null");
            Objects.requireNonNull(contentType, "contentType == null");
            Objects.requireNonNull(bytes, "bytes == null");
        }
    }

    private final String user;
    private final String password;
    private final Duration timeout;
    private final HttpClient http;

    /** @param user, password basic credentials for recording URLs (Twilio: account SID and auth token), or null */
    public Recordings(String user, String password, Duration timeout) {
        this.user = user;
        this.password = password;
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The recording at {@code where} (a file path or an http(s) URL), empty if there is none, it cannot be read or
     * it is too large.
     *
     * @throws IOException when a URL could not be fetched now (worth another try)
     */
    public Optional<Audio> fetch(String where, long messageId) throws IOException {
        if (where == null || where.isBlank()) return Optional.empty();
        if (where.startsWith("http://") || where.startsWith("https://")) return download(where, messageId);
        Path file = Path.of(where);
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) return Optional.empty();
        String name = file.getFileName().toString();
        return Optional.of(new Audio("nachricht-" + messageId + extension(name), type(name), Files.readAllBytes(file)));
    }

    private Optional<Audio> download(String url, long messageId) throws IOException {
        // Twilio serves a recording as WAV when ".wav" is appended
        String target = url.toLowerCase(Locale.ROOT).matches(".*\\.(wav|mp3)$") ? url : url + ".wav";
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(target)).timeout(timeout).GET();
        if (user != null && password != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<byte[]> res = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() == 404) return Optional.empty();
            if (res.statusCode() != 200) throw new IOException("recording " + target + ": HTTP " + res.statusCode());
            if (res.body().length > MAX_BYTES) return Optional.empty();
            return Optional.of(new Audio("nachricht-" + messageId + extension(target), type(target), res.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + target, e);
        }
    }

    private static String extension(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".mp3") ? ".mp3" : ".wav";
    }

    static String type(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".mp3") ? "audio/mpeg" : "audio/wav";
    }
}
