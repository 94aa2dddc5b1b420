package de.vorzimmer.cli;

import de.vorzimmer.text.Printable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import de.vorzimmer.book.PinHasher;
import java.time.Clock;
import de.vorzimmer.book.PinPepper;
import de.vorzimmer.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code vorzimmer}: the one executable. Exit codes: 0 done, 2 bad input (one line on stderr, nothing
 * written), 1 unexpected failure (one line on stderr; the stack trace goes to the log at debug level, or at
 * error level for {@code serve}).
 */
@Command(name = "vorzimmer", mixinStandardHelpOptions = true, version = "vorzimmer 0.1.0",
        scope = CommandLine.ScopeType.INHERIT,
        description = "Call handling for secretaries and answering services.")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    @Spec
    CommandSpec spec;

    private final Clock clock;
    private final PinHasher pins;
    private final Map<String, String> env;

    public Main() {
        this(Clock.systemUTC(), new PinHasher(), System.getenv());
    }

    /** For tests: a fixed clock and a cheap PIN hasher. */
    public Main(Clock clock, PinHasher pins) {
        this(clock, pins, System.getenv());
    }

    /** For tests: a fixed clock, a cheap PIN hasher and the environment the configuration is read from. */
    public Main(Clock clock, PinHasher pins, Map<String, String> env) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
        this.env = Map.copyOf(Objects.requireNonNull(env, "env == null"));
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** The command line with its subcommands and the one-line error handling; tests call {@code execute} on it. */
    public static CommandLine commandLine(Main main) {
        CommandLine cl = new CommandLine(main);
        cl.addSubcommand(new ServeCommand());
        cl.addSubcommand(new ImportCommand());
        cl.addSubcommand(new ExportCommand());
        cl.addSubcommand(new RouteCommand());
        cl.addSubcommand(new StatusCommand());
        cl.addSubcommand(new ExpectCommand());
        cl.addSubcommand(new MessagesCommand());
        cl.addSubcommand(new CallsCommand());
        cl.addSubcommand(new CalendarCommand());
        cl.addSubcommand(new HolidaysCommand());
        cl.addSubcommand(new BackupCommand());
        cl.addSubcommand(new RestoreCommand());
        cl.addSubcommand(new TestCallCommand());
        cl.addSubcommand(new UsageCommand());
        cl.addSubcommand(new MigrateDbCommand());
        cl.setParameterExceptionHandler(Main::onBadArguments);
        cl.setExecutionExceptionHandler(Main::onFailure);
        cl.setExecutionStrategy(parseResult -> {
            quietUnlessServing(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    Clock clock() {
        return clock;
    }

    PinHasher pins() {
        return pins;
    }

    /**
     * The PIN key of the server using {@code db}: from {@code VORZIMMER_PIN_PEPPER_FILE}, else the key file beside the
     * database; empty if there is none yet (the server makes it on its first start and keys what was stored before).
     */
    Optional<PinPepper> pepperFor(Path db) {
        String configured = env.get(Config.envName(Config.PIN_PEPPER_FILE));
        Path file = configured != null && !configured.isBlank() ? Path.of(configured) : PinPepper.defaultFileFor(db.toString());
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(PinPepper.load(file));
        } catch (IOException e) {
            throw new BadInputException(Config.PIN_PEPPER_FILE + ": " + e.getMessage());
        }
    }

    /** The environment the configuration's {@code VORZIMMER_*} variables are read from. */
    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing command, one of: " + String.join(", ", spec.subcommands().keySet()));
    }

    private static int onBadArguments(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String help = cl.getCommandSpec().qualifiedName() + " --help";
        cl.getErr().println("vorzimmer: " + oneLine(e.getMessage()) + " (see " + help + ")");
        cl.getErr().flush();
        return BAD_INPUT;
    }

    private static int onFailure(Exception e, CommandLine cl, ParseResult parseResult) {
        if (e instanceof BadInputException) {
            cl.getErr().println("vorzimmer: " + oneLine(e.getMessage()));
            cl.getErr().flush();
            return BAD_INPUT;
        }
        String hint = "";
        if (isServe(parseResult)) {
            LOG.error("{} failed", cl.getCommandSpec().qualifiedName(), e);
        } else {
            LOG.debug("{} failed", cl.getCommandSpec().qualifiedName(), e);
            if (!LOG.isDebugEnabled()) hint = " (VORZIMMER_LOG_LEVEL=debug shows the stack trace)";
        }
        cl.getErr().println("vorzimmer: internal error: " + oneLine(String.valueOf(e)) + hint);
        cl.getErr().flush();
        return FAILED;
    }

    /** {@code s} on one line for the terminal: line breaks as {@code ; }, other control characters escaped. */
    static String oneLine(String s) {
        return s == null ? "" : Printable.line(s.strip().replaceAll("\\s*\\R\\s*", "; "));
    }

    private static boolean isServe(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.subcommand() != null) last = last.subcommand();
        return "serve".equals(last.commandSpec().name());
    }

    /**
     * CLI commands other than {@code serve} log at WARN so their stdout stays clean and their stderr holds only
     * what matters, unless the operator chose a level ({@code VORZIMMER_LOG_LEVEL}, {@code -Dvorzimmer.log.level}).
     */
    private static void quietUnlessServing(ParseResult parseResult) {
        if (isServe(parseResult) || System.getenv("VORZIMMER_LOG_LEVEL") != null
                || System.getProperty("vorzimmer.log.level") != null) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }
}
