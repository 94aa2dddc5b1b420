package de.vorzimmer.asterisk;

import de.vorzimmer.book.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's greeting as a sound for the dialplan's message stage ({@code VZ_GREETING_SOUND}): the client's own
 * recording when the operator put one into the greetings folder ({@code <asterisk.recordings>/greetings/CLIENT.wav},
 * or {@code .gsm}, {@code .sln}, {@code .ulaw}, {@code .alaw}, {@code .g722}), else the book's {@code greeting} text
 * spoken by {@link Speech} in the client's language, as the phone-in line speaks typed messages.
 *
 * <p>The route script asks on every call and must not wait: {@link #sound} answers from what is ready and has a
 * greeting that is not (new client, changed text, a recording put in or taken away) prepared in the background;
 * until then that call hears the stock prompt only. What is ready is checked again after {@link #RECHECK_NANOS}.
 */
public final class GreetingSounds {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingSounds.class);
    static final List<String> FORMATS = List.of("wav", "gsm", "sln", "ulaw", "alaw", "g722");
    static final long RECHECK_NANOS = 30_000_000_000L;
    /** Clients whose greetings are prepared when the server starts; those of a bigger book on their first call. */
    public static final int PREPARE_AT_START = 1_000;
    private static final GreetingSounds NONE = new GreetingSounds(null, Speech.none(), Runnable::run, System::nanoTime);

    /** What was found for one client: for which text and language, the sound (null: none), and when. */
    private record Ready(String text, String language, String sound, long checkedAt) {
    }

    private final Path recorded;
    private final Speech speech;
    private final Executor background;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Ready> ready = new ConcurrentHashMap<>();
    private final java.util.Set<String> preparing = ConcurrentHashMap.newKeySet();

    /**
     * @param recorded   the folder of recorded greetings as the PBX sees it, or null
     * @param background where files are looked for and speech is rendered (never the caller's thread)
     * @param nanos      a monotonic clock in nanoseconds (tests pass their own)
     */
    GreetingSounds(Path recorded, Speech speech, Executor background, LongSupplier nanos) {
        this.recorded = recorded;
        this.speech = Objects.requireNonNull(speech, "speech == null");
        this.background = Objects.requireNonNull(background, "background == null");
        this.nanos = Objects.requireNonNull(nanos, "nanos == null");
    }

    public static GreetingSounds in(Path recorded, Speech speech, Executor background) {
        return new GreetingSounds(Objects.requireNonNull(recorded, "recorded == null"), speech, background, System::nanoTime);
    }

    /** No greetings: the message stage plays the stock prompt only. */
    public static GreetingSounds none() {
        return NONE;
    }

    /**
     * The sound (a path without extension, as {@code Playback} takes it) for {@code client}'s greeting, or null when
     * none is ready. Never blocks: anything missing or due for a check is prepared in the background.
     */
    public String sound(Client client, String language) {
        if (this == NONE || client == null) return null;
        Ready r = ready.get(client.id());
        boolean current = r != null && Objects.equals(r.text(), client.greeting()) && Objects.equals(r.language(), language);
        if (!current || nanos.getAsLong() - r.checkedAt() > RECHECK_NANOS) prepare(client, language);
        return current ? r.sound() : null;
    }

    /** Prepares {@code client}'s greeting in the background (a second request while one runs is dropped). */
    public void prepare(Client client, String language) {
        if (this == NONE || !preparing.add(client.id())) return;
        String id = client.id();
        String text = client.greeting();
        try {
            background.execute(() -> {
                try {
                    ready.put(id, new Ready(text, language, find(id, text, language), nanos.getAsLong()));
                } catch (RuntimeException e) {
                    LOG.warn("greeting of client {}: {}", id, e.getMessage());
                } finally {
                    preparing.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            preparing.remove(id);
            LOG.debug("greeting of client {} left for later (renderer busy or stopped)", id);
        }
    }

    /** The recorded greeting if there is one, else the spoken text; null when neither. Blocking. */
    private String find(String id, String text, String language) {
        if (recorded != null && Sidecar.UNIQUE_ID.matcher(id).matches()) {
            for (String format : FORMATS) {
                Path f = recorded.resolve(id + "." + format);
                if (Files.isRegularFile(f)) return recorded.resolve(id).toAbsolutePath().toString();
            }
        }
        if (text == null || text.isBlank()) return null;
        return speech.speak(text, language).orElse(null);
    }
}
