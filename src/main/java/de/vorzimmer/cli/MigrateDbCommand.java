package de.vorzimmer.cli;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.DatabaseCopy;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.StoreException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vorzimmer migrate-db --to URL}: moves a firm from its SQLite file to PostgreSQL, for two or more nodes. Every
 * table is copied (book versions, overrides, duty, messages and their history, the outbox and its links, the call log,
 * console users, sessions and API tokens, Twilio calls, phone-in records, calendar state, ...) into an empty database,
 * in one transaction, and each table's rows are counted on both sides. A target that holds any row is refused.
 */
@Command(name = "migrate-db", description = "Copy everything from the SQLite database (--db) into an empty PostgreSQL "
        + "database (--to), check the counts per table and say so.")
final class MigrateDbCommand extends StoreCommand {
    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "jdbc:postgresql://HOST:PORT/DB?user=U (password from " + DbOption.PASSWORD_ENV + "); must be empty.")
    String to;

    private Database.Target target;

    @Override
    void prepare() {
        if (db.postgres()) throw new BadInputException("--db must be the SQLite file to copy from, not a URL");
        target = DbOption.target("--to", to);
        if (!target.postgres()) throw new BadInputException("--to must be a jdbc:postgresql://HOST:PORT/DB URL");
    }

    @Override
    Integer withoutDatabase() {
        throw new BadInputException("no database at " + db.path() + " to copy from");
    }

    @Override
    Integer run(Database source) {
        List<String> withRows;
        try {
            withRows = DatabaseCopy.tablesWithRows(target);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!withRows.isEmpty()) {
            throw new BadInputException("target " + target.describe() + " is not empty (rows in " + String.join(", ", withRows)
                    + "); migrate-db copies into an empty database only");
        }
        Database destination;
        try {
            destination = Database.open(target, Durability.FULL);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        try (destination) {
            List<DatabaseCopy.TableCount> counts = DatabaseCopy.copy(source, destination);
            PrintWriter out = out();
            long rows = 0;
            boolean allMatch = true;
            for (DatabaseCopy.TableCount c : counts) {
                out.printf("%-24s %8d rows%s%n", c.table(), c.target(),
                        c.matches() ? "" : "  MISMATCH: " + c.source() + " in the source");
                rows += c.source();
                allMatch &= c.matches();
            }
            if (!allMatch) {
                spec.commandLine().getErr().println("vorzimmer: migrate-db: the counts differ (see above); the target "
                        + "is incomplete, do not use it");
                return Main.FAILED;
            }
            out.println("copied " + counts.size() + " tables, " + rows + " rows from " + source.location() + " to "
                    + target.describe() + "; every table's count matches");
            return Main.OK;
        }
    }
}
