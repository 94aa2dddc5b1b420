package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.calendar.CalendarStore;
import de.vorzimmer.calendar.CalendarSync;
import de.vorzimmer.calendar.FeedFetcher;
import de.vorzimmer.config.Config;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.server.ServerSettings;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vorzimmer calendar sync [CLIENT]}: fetches the calendars of the book (or one client's) now and stores them
 * as the server does, so a running server and {@code route} use them at once. Credentials, time-out and size cap
 * come from the configuration ({@code --config FILE} and the {@code VORZIMMER_*} environment).
 */
@Command(name = "calendar", description = "Fetch clients' calendars now: calendar sync [CLIENT].")
final class CalendarCommand extends StoreCommand {
    /** How far ahead the command line expands calendars (the server's calendar.horizon default). */
    static final Duration HORIZON = Duration.ofDays(35);

    @Parameters(index = "0", paramLabel = "ACTION", description = "sync")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CLIENT", description = "Only this client's calendar.")
    String client;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (credentials, time-out, size cap).")
    Path configFile;

    private Config config;

    @Override
    void prepare() {
        if (!"sync".equals(action)) throw new BadInputException("unknown calendar action '" + action + "', expected sync");
        try {
            config = Config.load(configFile, System.getenv(), Map.of());
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    @Override
    Integer run(Database database) throws Exception {
        Book book = requireBook(database);
        if (client != null && requireClient(book, client).calendar() == null) {
            throw new BadInputException("client '" + client + "' has no calendar in the book (calendar: {url: ...})");
        }
        LiveRouting routing = new LiveRouting(new Snapshots(books(database), new OverrideStore(database),
                new DutyStore(database)).of(book, main.clock().instant()), main.clock());
        Vertx vertx = Vertx.vertx();
        try {
            FeedFetcher fetcher = new FeedFetcher(vertx, config.duration(Config.CALENDAR_TIMEOUT),
                    config.integer(Config.CALENDAR_MAX_BYTES, 1024, 1_000_000_000));
            CalendarSync sync = new CalendarSync(vertx, new CalendarStore(database), fetcher, routing,
                    ServerSettings.calendarCredentials(config), CalendarSync.Settings.of(
                    config.duration(Config.CALENDAR_REFRESH), config.duration(Config.CALENDAR_HORIZON)));
            sync.load();
            Future<List<CalendarSync.Outcome>> done = client == null ? sync.syncAll()
                    : sync.syncNow(client).map(List::of);
            long wait = config.duration(Config.CALENDAR_TIMEOUT).toMillis() * 3 + 10_000;
            List<CalendarSync.Outcome> outcomes = done.await(wait, TimeUnit.MILLISECONDS);
            sync.close();
            if (outcomes.isEmpty()) out().println("no client of the book has a calendar");
            boolean failed = false;
            for (CalendarSync.Outcome o : outcomes) {
                out().println(o.describe());
                failed |= !o.ok();
            }
            out().flush();
            return failed ? Main.FAILED : Main.OK;
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
