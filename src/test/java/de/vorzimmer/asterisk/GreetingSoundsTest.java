package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.PinHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The greeting the message stage plays: the client's recording if there is one, prepared off the call path. */
class GreetingSoundsTest {
    @TempDir
    Path dir;

    private final List<Runnable> background = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();

    private static Client client(String greeting) throws Exception {
        Book book = BookLoader.load("""
                version: 1
                clients:
                  - { id: mueller, name: Dr. Müller, lines: ["030 1234567"], greeting: "%s" }
                """.formatted(greeting), PinHasher.fast());
        return book.clients().get(0);
    }

    private GreetingSounds sounds() {
        return new GreetingSounds(dir, Speech.none(), background::add, nanos::get);
    }

    private void runBackground() {
        List<Runnable> now = List.copyOf(background);
        background.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void aRecordedGreetingIsPlayedOnceFoundAndTheCallNeverWaitsForIt() throws Exception {
        Files.write(dir.resolve("mueller.gsm"), new byte[] {1, 2, 3});
        GreetingSounds sounds = sounds();
        Client c = client("Praxis Dr. Müller");

        assertThat(sounds.sound(c, "de")).as("not looked for yet: the call goes on without").isNull();
        assertThat(background).hasSize(1);
        runBackground();

        assertThat(sounds.sound(c, "de")).isEqualTo(dir.resolve("mueller").toAbsolutePath().toString());
        assertThat(background).as("nothing more to do until the next check").isEmpty();
    }

    @Test
    void aRecordingTakenAwayIsNoticedAtTheNextCheck() throws Exception {
        Path file = Files.write(dir.resolve("mueller.wav"), new byte[] {1});
        GreetingSounds sounds = sounds();
        Client c = client("Praxis");
        sounds.sound(c, "de");
        runBackground();
        Files.delete(file);

        nanos.addAndGet(GreetingSounds.RECHECK_NANOS + 1);
        assertThat(sounds.sound(c, "de")).as("what was found, until the check has run").isNotNull();
        runBackground();

        assertThat(sounds.sound(c, "de")).as("no recording, and no speech without espeak-ng").isNull();
    }

    @Test
    void aChangedGreetingOrLanguageIsPreparedAgain() throws Exception {
        Files.write(dir.resolve("mueller.wav"), new byte[] {1});
        GreetingSounds sounds = sounds();
        sounds.sound(client("Guten Tag"), "de");
        runBackground();

        assertThat(sounds.sound(client("Good morning"), "en")).isNull();
        assertThat(background).hasSize(1);
    }

    @Test
    void withoutGreetingsNothingIsPlayed() throws Exception {
        assertThat(GreetingSounds.none().sound(client("Guten Tag"), "de")).isNull();
    }
}
