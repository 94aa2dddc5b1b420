package de.vorzimmer.console;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/v1/messages/{id}/recording}: the voice message of a message, for the inbox's player. Behind the
 * {@code /api/v1} guard. An Asterisk recording is a file: it is served only if, with every link followed, it lies in
 * the configured recordings folder ({@code asterisk.recordings}) and has an audio file name; anything else (another
 * folder, {@code ..}, a link out of the folder) is answered as not available. A Twilio recording is a URL on Twilio's
 * REST API: it is fetched with the account's credentials (only from Twilio's API host or the configured
 * {@code twilio.api-url}, never from another host) and passed on.
 */
public final class RecordingApi {
    static final long MAX_BYTES = 64L * 1024 * 1024;
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> AUDIO = Map.of("wav", "audio/wav", "mp3", "audio/mpeg", "ogg", "audio/ogg",
            "gsm", "audio/x-gsm");

    /** Where Twilio recordings may be fetched from, and with which account. */
    public record Twilio(String accountSid, String authToken, URI apiUrl) {
        public Twilio {
            Objects.requireNonNull(accountSid, "accountSid == null");
            Objects.requireNonNull(authToken, "authToken == null");
        }

        /**
         * Where to fetch a recording URL from, or null if it is not one of Twilio's: a URL on Twilio's API host goes
         * to the configured {@code twilio.api-url} instead when one is set (as every REST request does).
         */
        URI target(URI u) {
            if (u.getHost() == null || u.getRawPath() == null) return null;
            boolean twilioHost = "https".equals(u.getScheme()) && u.getHost().equalsIgnoreCase("api.twilio.com")
                    && u.getPort() < 0;
            if (twilioHost && apiUrl == null) return u;
            if (twilioHost) {
                String base = apiUrl.toString().replaceAll("/+$", "");
                return URI.create(base + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            boolean apiHost = apiUrl != null && Objects.equals(apiUrl.getScheme(), u.getScheme())
                    && apiUrl.getHost().equalsIgnoreCase(u.getHost()) && apiUrl.getPort() == u.getPort();
            return apiHost ? u : null;
        }
    }

    private final Vertx vertx;
    private final MessageStore messages;
    private final Path folder;
    private final Twilio twilio;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param folder the recordings folder, or null when Asterisk recordings are not configured
     * @param twilio the Twilio account, or null when Twilio is not configured
     */
    public RecordingApi(Vertx vertx, MessageStore messages, Path folder, Twilio twilio) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.folder = folder;
        this.twilio = twilio;
    }

    public void mount(Router router) {
        router.get("/api/v1/messages/:id/recording").handler(this::recording);
    }

    private void recording(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.field("field-invalid", "id", "message id '" + ctx.pathParam("id") + "' is not a number");
        }
        vertx.executeBlocking(() -> {
            Message m = messages.get(id).orElseThrow(() -> new ApiException(404, "message-unknown", "no message " + id));
            String stored = m.recordingPath();
            if (stored == null || stored.isBlank()) {
                throw new ApiException(404, "recording-unknown", "message " + id + " has no recording");
            }
            if (stored.startsWith("http://") || stored.startsWith("https://")) return fetch(id, stored);
            Path file = folder == null ? null : localFile(folder, stored).orElse(null);
            if (file == null) {
                throw new ApiException(404, "recording-unavailable", "the recording of message " + id
                        + " is not in the recordings folder");
            }
            return new Audio(AUDIO.get(extension(file.getFileName().toString())), Buffer.buffer(Files.readAllBytes(file)));
        }, false).onFailure(ctx::fail).onSuccess(a -> ctx.response().putHeader("Content-Type", a.type())
                .putHeader("Cache-Control", "private, max-age=300").end(a.bytes()));
    }

    private record Audio(String type, Buffer bytes) {
    }

    /**
     * The file a stored recording path names, if it is a regular audio file inside {@code root} with every link
     * followed: the path itself, or (Asterisk may write the same folder under another root, e.g. in a chroot) the
     * file of that name directly in {@code root}.
     */
    static Optional<Path> localFile(Path root, String stored) throws IOException {
        Path rootReal = root.toRealPath();
        List<Path> candidates = new ArrayList<>();
        try {
            Path p = Path.of(stored);
            candidates.add(p.isAbsolute() ? p : rootReal.resolve(p));
            Path name = p.getFileName();
            if (name != null) candidates.add(rootReal.resolve(name.toString()));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        for (Path c : candidates) {
            if (!Files.exists(c)) continue;
            Path real = c.toRealPath();
            if (real.startsWith(rootReal) && Files.isRegularFile(real)
                    && AUDIO.containsKey(extension(real.getFileName().toString()))) {
                return Optional.of(real);
            }
        }
        return Optional.empty();
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private Audio fetch(long id, String url) throws IOException, InterruptedException {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "recording-unavailable", "message " + id + ": recording URL unreadable");
        }
        URI target = twilio == null ? null : twilio.target(u);
        if (target == null) {
            throw new ApiException(404, "recording-unavailable", "message " + id + ": recording URL not on Twilio's API");
        }
        String basic = Base64.getEncoder().encodeToString((twilio.accountSid() + ":" + twilio.authToken())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(target).timeout(FETCH_TIMEOUT)
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new ApiException(502, "recording-fetch-failed", "message " + id + ": Twilio answered "
                        + r.statusCode() + " for the recording");
            }
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ApiException(502, "recording-fetch-failed", "message " + id + ": recording larger than "
                        + MAX_BYTES + " bytes");
            }
            String type = r.headers().firstValue("Content-Type").filter(t -> t.startsWith("audio/")).orElse("audio/wav");
            return new Audio(type, Buffer.buffer(bytes));
        }
    }
}
