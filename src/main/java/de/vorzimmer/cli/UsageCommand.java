package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.store.Database;
import de.vorzimmer.usage.ClientUsage;
import de.vorzimmer.usage.UsageCounter;
import de.vorzimmer.usage.UsageCsv;
import de.vorzimmer.usage.UsageReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vorzimmer usage --month 2026-12 [--client ID] [--csv]}: what each client's calls cost in a month (calls,
 * secretary minutes in whole steps, put-throughs, messages, urgent notifications), as the console's usage view.
 */
@Command(name = "usage", description = "What each client's calls cost in a month: calls, secretary minutes, "
        + "put-throughs, messages, urgent notifications.")
final class UsageCommand extends StoreCommand {
    @Option(names = "--month", paramLabel = "YYYY-MM", required = true, description = "The calendar month, e.g. 2026-12.")
    String monthText;

    @Option(names = "--client", paramLabel = "ID", description = "Only this client.")
    String clientId;

    @Option(names = "--csv", description = "CSV with a header line (as GET /api/v1/usage?format=csv).")
    boolean csv;

    @Option(names = "--step", paramLabel = "DURATION", description = "Count secretary time in these steps "
            + "(default: usage.step of --config or VORZIMMER_USAGE_STEP, else 30s).")
    String stepText;

    @Option(names = "--config", paramLabel = "FILE", description = "The server's configuration file, for usage.step.")
    Path configFile;

    private YearMonth month;
    private Duration step;

    @Override
    void prepare() {
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw new BadInputException("--month '" + monthText + "' is not a month like 2026-12");
        }
        try {
            Map<String, String> override = stepText == null ? Map.of() : Map.of(Config.USAGE_STEP, stepText);
            step = Config.load(configFile, System.getenv(), override).usageStep();
        } catch (ConfigException e) {
            throw new BadInputException(stepText != null ? "--step: " + e.getMessage() : e.getMessage());
        }
    }

    @Override
    Integer run(Database database) {
        Book book = requireBook(database);
        if (clientId != null) requireClient(book, clientId);
        UsageReport r = new UsageCounter(database).month(month, clientId, step, book);
        PrintWriter out = out();
        if (csv) {
            out.print(UsageCsv.write(r));
        } else {
            String format = "%-16s %-34s %6s %10s %9s %13s %9s %7s%n";
            out.printf(format, "CLIENT", "NAME", "CALLS", "SECRETARY", "MINUTES", "PUT-THROUGHS", "MESSAGES", "URGENT");
            for (ClientUsage u : r.clients()) {
                out.printf(format, u.client().isEmpty() ? "-" : u.client(), Main.oneLine(u.name()), u.calls(),
                        u.secretaryCalls(), String.format(Locale.ROOT, "%.1f", u.secretarySeconds() / 60.0),
                        u.putThroughs(), u.messages(), u.urgentNotifications());
            }
            out.println(month + ", secretary time in steps of " + step.toSeconds() + " s, each call rounded up");
        }
        out.flush();
        return Main.OK;
    }
}
