package de.vorzimmer.cli;

import de.vorzimmer.store.Database;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --db} option every store command takes: an SQLite file (relative to the working folder), or a JDBC URL
 * {@code jdbc:postgresql://HOST[:PORT]/DB?user=U} whose password comes from {@code VORZIMMER_DB_PASSWORD}.
 */
public final class DbOption {
    public static final String DEFAULT = "data/vorzimmer.db";
    /** Where the password of a PostgreSQL URL comes from (never from the command line, which others can read). */
    public static final String PASSWORD_ENV = "VORZIMMER_DB_PASSWORD";

    @Option(names = "--db", paramLabel = "PATH|URL", defaultValue = DEFAULT,
            description = "SQLite database file (default: ${DEFAULT-VALUE}) or jdbc:postgresql://HOST:PORT/DB?user=U "
                    + "(password from " + PASSWORD_ENV + ").")
    String location;

    /** The database named, checked. */
    public Database.Target target() {
        return target("--db", location);
    }

    /** True when the option names a PostgreSQL database. */
    public boolean postgres() {
        return target().postgres();
    }

    /** The SQLite file; only for a location that is not a URL. */
    public Path path() {
        return Path.of(target().location());
    }

    static Database.Target target(String option, String location) {
        if (location == null || location.isBlank()) throw new BadInputException(option + " is empty");
        if (location.startsWith("jdbc:")) {
            if (!location.startsWith("jdbc:postgresql://")) {
                throw new BadInputException(option + " '" + Database.Target.of(location).describe()
                        + "' is neither a file nor a jdbc:postgresql://HOST:PORT/DB URL");
            }
            return new Database.Target(location, null, System.getenv(PASSWORD_ENV));
        }
        try {
            return Database.Target.of(Path.of(location).toString());
        } catch (InvalidPathException e) {
            throw new BadInputException(option + " '" + location + "' is not a file path: " + e.getReason());
        }
    }
}
