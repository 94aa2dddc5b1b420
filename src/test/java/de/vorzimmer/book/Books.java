package de.vorzimmer.book;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helpers for loading books from text and class-path resources. */
final class Books {
    static final PinHasher PINS = PinHasher.fast();

    private Books() {
    }

    static String resource(String name) {
        try (InputStream in = Books.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String demoText() {
        return resource("/demo/book.yaml");
    }

    static Book load(String yaml) {
        try {
            return BookLoader.load(yaml, PINS);
        } catch (BookException e) {
            throw new AssertionError("book should load but: " + e.getMessage(), e);
        }
    }

    static List<BookProblem> problems(String yaml) {
        return assertThrows(BookException.class, () -> BookLoader.load(yaml, PINS)).problems();
    }

    /** A valid one-client book with {@code clientExtra} lines added to the client (indented by the caller). */
    static String oneClient(String clientExtra) {
        return """
                version: 1
                clients:
                  - id: solo
                    name: Solo
                    lines: ["030 5550001"]
                """ + clientExtra;
    }
}
