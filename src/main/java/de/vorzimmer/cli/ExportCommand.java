package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookWriter;
import de.vorzimmer.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vorzimmer export [--out FILE]}: writes the book in force as YAML that import reads back. */
@Command(name = "export", description = "Write the book in force as YAML (PINs only as hashes).")
final class ExportCommand extends StoreCommand {
    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path outFile;

    @Override
    Integer run(Database database) {
        Book book = books(database).currentFromText().orElseThrow(() -> new BadInputException(NO_BOOK));
        String yaml = BookWriter.write(book);
        if (!yaml.endsWith("\n")) yaml += "\n";
        if (outFile == null) {
            out().print(yaml);
            out().flush();
            return Main.OK;
        }
        write(outFile, yaml);
        out().println("exported the book (" + ImportCommand.count(book.clients().size(), "client") + ") to " + outFile);
        return Main.OK;
    }

    /** Writes beside the target and moves it into place, so a reader never sees half a book. */
    private static void write(Path target, String text) {
        Path absolute = target.toAbsolutePath();
        Path tmp = null;
        try {
            Path dir = absolute.getParent();
            if (dir != null) Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw new BadInputException("cannot write " + target + ": " + e.getMessage());
        }
    }
}
