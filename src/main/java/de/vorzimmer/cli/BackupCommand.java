package de.vorzimmer.cli;

import de.vorzimmer.store.Backups;
import de.vorzimmer.store.Database;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vorzimmer backup FILE}: a consistent copy of the live SQLite database, taken with SQLite's online backup
 * while the server runs (see {@link Backups}). For PostgreSQL: {@code pg_dump} (docs/operations.md).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent copy of the database to FILE while the server runs (SQLite's online backup).")
final class BackupCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "Where the copy goes (replaced once the copy is complete).")
    Path file;

    @Override
    void prepare() {
        refusePostgres(db.path(), "backup");
    }

    @Override
    Integer withoutDatabase() {
        throw new BadInputException("database " + db.path() + " does not exist; nothing to back up");
    }

    @Override
    Integer run(Database database) {
        Backups.Copy copy;
        try {
            copy = Backups.backup(database, file);
        } catch (Backups.Unusable e) {
            throw new BadInputException(e.getMessage());
        }
        out().println("backup: " + database.file() + " -> " + copy.file() + " (" + copy.bytes() + " bytes, schema version "
                + copy.schemaVersion() + ", integrity ok)");
        return Main.OK;
    }

    /** Backup and restore work on the SQLite file; a PostgreSQL database has pg_dump and pg_restore. */
    static void refusePostgres(Path db, String command) {
        if (db.toString().startsWith("jdbc:")) {
            throw new BadInputException(command + " works on the SQLite file; for PostgreSQL use pg_dump / pg_restore "
                    + "(docs/operations.md, Backup and restore)");
        }
    }
}
