package de.vorzimmer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line run inside a test's JVM (as an operator would run it beside the servers) without leaving its quiet
 * log level behind: a command other than {@code serve} sets the root logger to WARN, which would hide the INFO lines
 * later tests in the same JVM look for.
 */
public final class InProcessCli {
    private InProcessCli() {
    }

    /** Runs {@code args} and returns the exit code; the root logger's level is as before afterwards. */
    public static int run(String... args) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        try {
            return Main.commandLine(new Main()).execute(args);
        } finally {
            root.setLevel(level);
        }
    }
}
