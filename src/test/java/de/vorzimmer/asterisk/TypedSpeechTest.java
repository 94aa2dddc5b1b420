package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Client;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.NewMessage;
import de.vorzimmer.notify.OutboxFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typed message's speech is prepared when the message is stored, with the text and language the line uses. */
class TypedSpeechTest {
    @TempDir
    Path dir;
    OutboxFixture f;
    final List<String> spoken = new CopyOnWriteArrayList<>();
    Function<String, Optional<String>> languageOf;

    @BeforeEach
    void open() throws Exception {
        f = new OutboxFixture(dir.resolve("vz.db"), Clock.fixed(Instant.parse("2026-11-30T09:00:00Z"), ZoneOffset.UTC),
                Duration.ofHours(1));
        languageOf = id -> f.book.clients().stream().filter(c -> c.id().equals(id)).findFirst().map(Client::language);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Optional<String> speak(String text, String language) {
        spoken.add(language + ":" + text);
        return Optional.of("/tts/x");
    }

    private static NewMessage message(String client, MessageKind kind, String text) {
        return new NewMessage(client, null, "+49309876543", null, kind, text, null, false, false,
                client != null && client.equals("mueller") ? Map.of("Rückrufnummer", "+49309876543") : Map.of(), null);
    }

    @Test
    void typedTextIsRenderedOnceStoredInTheClientsLanguage() {
        f.desk.afterStore(new TypedSpeech(this::speak, languageOf, Runnable::run));
        Message m = f.take(message("smith", MessageKind.TYPED, "  Please call Mr. Meier back  "));
        f.take(message("mueller", MessageKind.TYPED, "Rückruf bitte"));

        assertThat(m.id()).isPositive();
        // the stripped text, as the phone-in line puts it into its prompt, so both find the same file
        assertThat(spoken).containsExactly("en:Please call Mr. Meier back", "de:Rückruf bitte");
    }

    @Test
    void otherMessagesAndUnknownClientsRenderNothing() {
        f.desk.afterStore(new TypedSpeech(this::speak, id -> Optional.empty(), Runnable::run));
        f.take(message("smith", MessageKind.TYPED, "no language known"));
        f.desk.afterStore(new TypedSpeech(this::speak, languageOf, Runnable::run));
        f.take(message("smith", MessageKind.MISSED, null));
        f.take(message("smith", MessageKind.TYPED, "   "));
        f.take(message(null, MessageKind.TYPED, "for no client"));
        assertThat(spoken).isEmpty();
    }

    @Test
    void aFailingOrBusyRendererNeverUndoesTheMessage() {
        f.desk.afterStore(new TypedSpeech((t, l) -> {
            throw new IllegalStateException("espeak crashed");
        }, languageOf, Runnable::run));
        Message first = f.take(message("smith", MessageKind.TYPED, "one"));
        f.desk.afterStore(new TypedSpeech(this::speak, languageOf, r -> {
            throw new RejectedExecutionException("queue full");
        }));
        Message second = f.take(message("smith", MessageKind.TYPED, "two"));
        f.desk.afterStore(m -> {
            throw new IllegalStateException("listener bug");
        });
        Message third = f.take(message("smith", MessageKind.TYPED, "three"));

        assertThat(List.of(first.id(), second.id(), third.id())).allMatch(id -> id > 0);
        assertThat(f.messages.get(third.id())).isPresent();
        assertThat(spoken).isEmpty();
    }
}
