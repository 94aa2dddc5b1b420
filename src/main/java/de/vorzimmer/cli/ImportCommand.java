package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookException;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.PinKeys;
import de.vorzimmer.book.BookProblem;
import de.vorzimmer.store.Database;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vorzimmer import BOOK.yaml}: validates a book and makes it the one in force, all or nothing. */
@Command(name = "import", description = "Load a client book (validated, all or nothing) and make it the one in force.")
final class ImportCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "BOOK.yaml", description = "The client book, YAML format 1.")
    Path file;

    @Override
    boolean createsDatabase() {
        return true;
    }

    private Book loaded;

    /** Reads and validates before the database is touched: a bad book leaves no trace, not even a new file. */
    @Override
    void prepare() {
        loaded = load();
    }

    @Override
    Integer run(Database database) {
        // PIN hashes keyed with the server's key when it has one (else the server keys them on its next start)
        Book keyed = main.pepperFor(db.path()).map(p -> rekey(loaded, main.pins().withPepper(p))).orElse(loaded);
        long version = books(database).save(keyed, "import " + file, main.clock().instant());
        int lines = loaded.clients().stream().mapToInt(c -> c.lines().size()).sum();
        out().println("imported " + file + ": " + count(loaded.clients().size(), "client") + ", "
                + count(loaded.secretaries().size(), "secretary", "secretaries") + ", " + count(lines, "line")
                + " (book version " + version + ")");
        return Main.OK;
    }

    private static Book rekey(Book book, PinHasher pins) {
        try {
            return PinKeys.rekey(book, pins);
        } catch (BookException e) {
            throw new IllegalStateException("a book that loaded no longer loads with its PIN hashes keyed", e);
        }
    }

    private Book load() {
        try {
            return BookLoader.load(file, main.pins());
        } catch (NoSuchFileException e) {
            throw new BadInputException("cannot read book " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException("cannot read book " + file + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException("cannot read book " + file + ": " + e.getMessage());
        } catch (BookException e) {
            int n = e.problems().size();
            throw new BadInputException("book " + file + " rejected, " + count(n, "problem") + ": "
                    + e.problems().stream().map(BookProblem::toString).collect(Collectors.joining("; ")));
        }
    }

    static String count(int n, String one) {
        return count(n, one, one + "s");
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
