package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Defaults;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
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

    /**
     * Whether this command may create the database file; the others refuse to run on a missing one. (A PostgreSQL
     * database exists before any command runs; its tables are made by the migrations.)
     */
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

    /** Runs on the open database; each command makes the feature stores it uses. */
    abstract Integer run(Database database) throws Exception;

    /** The book versions, with PINs hashed as this command line hashes them. */
    BookStore books(Database database) {
        return new BookStore(database, main.pins());
    }

    @Override
    public final Integer call() throws Exception {
        prepare();
        Database.Target target = db.target();
        if (!target.postgres() && !createsDatabase() && !Files.exists(db.path())) return withoutDatabase();
        Database database;
        try {
            database = Database.open(target, Durability.FULL);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        try (database) {
            return run(database);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Book requireBook(Database database) {
        return books(database).current().orElseThrow(() -> new BadInputException(NO_BOOK));
    }

    static Client requireClient(Book book, String id) {
        for (Client c : book.clients()) {
            if (c.id().equals(id)) return c;
        }
        String known = book.clients().stream().map(Client::id).collect(Collectors.joining(", "));
        throw new BadInputException("unknown client '" + id + "'" + (known.isEmpty() ? ", the book has none"
                : "; known: " + known));
    }

    /** The book in force, if any; a {@code clientId} given on the command line must be one of its clients. */
    Optional<Book> bookChecking(Database database, String clientId) {
        Optional<Book> book = books(database).current();
        if (clientId != null && book.isPresent()) requireClient(book.get(), clientId);
        return book;
    }

    /** Each client's time zone by id; the book's default zone (or the standard one) for no or an unknown client. */
    static Function<String, ZoneId> zones(Optional<Book> book) {
        ZoneId fallback = book.map(b -> b.defaults().timezone()).orElse(Defaults.STANDARD.timezone());
        Map<String, ZoneId> zones = new HashMap<>();
        book.ifPresent(b -> b.clients().forEach(c -> zones.put(c.id(), c.timezone())));
        return id -> id == null ? fallback : zones.getOrDefault(id, fallback);
    }

    /** A JSON array as the list commands print it: one object per line. */
    static void printJsonArray(PrintWriter out, List<String> objects) {
        out.println("[");
        for (int i = 0; i < objects.size(); i++) out.println(objects.get(i) + (i + 1 < objects.size() ? "," : ""));
        out.println("]");
    }
}
