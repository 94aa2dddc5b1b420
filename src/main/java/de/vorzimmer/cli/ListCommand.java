package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.store.Database;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * A command that lists stored rows newest first ({@code calls}, {@code messages}): as a table with each time in its
 * client's own zone, or with {@code --json} as a JSON array, one object per line. Without a database there is
 * nothing to list, which is not an error.
 */
abstract class ListCommand<T> extends StoreCommand {
    @Option(names = "--client", paramLabel = "ID", description = "Only this client's ${COMMAND-NAME}.")
    String clientId;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Only ${COMMAND-NAME} at or after it (ISO, e.g. 2026-11-30T08:00:00Z).")
    String since;

    @Option(names = "--json", description = "A JSON array, one object per line.")
    boolean json;

    /** What an empty list prints, e.g. {@code no calls}. */
    abstract String nothing();

    /** The rows to list, newest first, read after {@link #prepare()} checked the options. */
    abstract List<T> find(Database database);

    /** One row as a JSON object on one line. */
    abstract String json(T row);

    /** The table's column headers, one per cell of {@link #cells}. */
    abstract Object[] header();

    /** One row's cells as the table shows them, with its times in the zone {@code zones} gives for a client id. */
    abstract Object[] cells(T row, Function<String, ZoneId> zones);

    /** The table's {@link java.util.Formatter} pattern for a line of header or cells. */
    abstract String format();

    /** {@code --since} as an instant, or null without it. */
    final Instant sinceInstant() {
        return since == null ? null : TimeArgs.utc("--since", since);
    }

    @Override
    final Integer withoutDatabase() {
        print(List.of(), Optional.empty());
        return Main.OK;
    }

    @Override
    final Integer run(Database database) {
        Optional<Book> book = bookChecking(database, clientId);
        print(find(database), book);
        return Main.OK;
    }

    private void print(List<T> rows, Optional<Book> book) {
        PrintWriter out = out();
        if (json) {
            printJsonArray(out, rows.stream().map(this::json).toList());
        } else if (rows.isEmpty()) {
            out.println(nothing());
        } else {
            Function<String, ZoneId> zones = zones(book);
            out.printf(format(), header());
            for (T row : rows) out.printf(format(), cells(row, zones));
        }
        out.flush();
    }
}
