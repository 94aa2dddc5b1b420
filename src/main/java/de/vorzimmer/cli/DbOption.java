package de.vorzimmer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --db PATH} option every store command takes, relative to the working folder. */
public final class DbOption {
    public static final String DEFAULT = "data/vorzimmer.db";

    @Option(names = "--db", paramLabel = "PATH", defaultValue = DEFAULT,
            description = "SQLite database file (default: ${DEFAULT-VALUE}).")
    Path path;

    public Path path() {
        return path;
    }
}
