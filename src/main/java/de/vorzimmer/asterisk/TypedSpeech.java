package de.vorzimmer.asterisk;


import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a typed message's speech as soon as the message is stored, so the phone-in line plays a file that is
 * already there: rendering on the line itself takes a second or two the first time, while the caller's key
 * presses are not being read. The text and language are exactly those the phone-in line will speak (the stripped
 * text, the client's language), so it finds the same file. Work runs on {@code executor}, never on the caller.
 */
public final class TypedSpeech implements Consumer<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(TypedSpeech.class);

    private final BiFunction<String, String, Optional<String>> speak;
    private final Function<String, Optional<String>> languageOf;
    private final Executor executor;

    /**
     * @param speak      text and language to a sound file ({@link Speech#speak})
     * @param languageOf a client id to the client's language, empty for an unknown client
     */
    public TypedSpeech(BiFunction<String, String, Optional<String>> speak, Function<String, Optional<String>> languageOf,
                       Executor executor) {
        this.speak = Objects.requireNonNull(speak, "speak == null");
        this.languageOf = Objects.requireNonNull(languageOf, "languageOf == null");
        this.executor = Objects.requireNonNull(executor, "executor == null");
    }

    @Override
    public void accept(Message m) {
        if (m.kind() != MessageKind.TYPED || m.clientId() == null || m.text() == null || m.text().isBlank()) return;
        Optional<String> language = languageOf.apply(m.clientId());
        if (language.isEmpty()) return;
        String text = m.text().strip();
        try {
            executor.execute(() -> {
                try {
                    speak.apply(text, language.get());
                } catch (RuntimeException e) {
                    LOG.warn("phone-in: could not prepare the speech of message {}: {}", m.id(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("phone-in: speech of message {} left for the line (renderer busy or stopped)", m.id());
        }
    }
}
