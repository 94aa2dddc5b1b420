package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Store;
import de.vorzimmer.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that works on the store named by {@code --db}: opens it, runs, closes it. */
abstract class StoreCommand implements Callable<Integer> {
    static final String NO_BOOK = "no book imported; run vorzimmer import BOOK.yaml";

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    DbOption db;

    /** Whether this command may create the database file; the others refuse to run on a missing one. */
    boolean createsDatabase() {
        return false;
    }

    /** What to do when there is no database file yet, for a command that does not create one. */
    Integer withoutDatabase() {
        throw new BadInputException(NO_BOOK);
    }

    /** Checks and reads what does not need the store, before it is opened. */
    void prepare() {
    }

    abstract Integer run(Store store) throws Exception;

    @Override
    public final Integer call() throws Exception {
        prepare();
        if (!createsDatabase() && !Files.exists(db.path())) return withoutDatabase();
        Store store;
        try {
            store = Store.open(db.path(), Durability.FULL, main.pins());
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        try (store) {
            return run(store);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static Book requireBook(Store store) {
        return store.books().current().orElseThrow(() -> new BadInputException(NO_BOOK));
    }

    static Client requireClient(Book book, String id) {
        for (Client c : book.clients()) {
            if (c.id().equals(id)) return c;
        }
        String known = book.clients().stream().map(Client::id).collect(Collectors.joining(", "));
        throw new BadInputException("unknown client '" + id + "'" + (known.isEmpty() ? ", the book has none"
                : "; known: " + known));
    }
}
