package de.vorzimmer.cli;


import de.vorzimmer.book.Book;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.calendar.CalendarStore;
import de.vorzimmer.calendar.StoredViews;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.DecisionJson;
import de.vorzimmer.routing.Router;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.routing.Snapshots;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.store.Database;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vorzimmer route}: the decision the server would take for a call, from the stored book, overrides, duty
 * states and calendars (as last fetched), printed as the decision JSON. Places no call, fetches nothing and writes
 * nothing.
 */
@Command(name = "route", description = "Print the decision JSON for a call, without placing one.")
final class RouteCommand extends StoreCommand {
    @Option(names = "--to", paramLabel = "NUMBER", required = true, description = "The dialed number.")
    String to;

    @Option(names = "--from", paramLabel = "NUMBER",
            description = "The caller's number; optional with --anonymous.")
    String from;

    @Option(names = "--forwarded-from", paramLabel = "NUMBER", description = "The redirecting number.")
    String forwardedFrom;

    @Option(names = "--at", paramLabel = "ISO-INSTANT", description = "When the call comes in (default: now).")
    String at;

    @Option(names = "--anonymous", description = "The caller withholds the number (presentation restricted).")
    boolean anonymous;

    private Instant when;

    @Override
    void prepare() {
        if (from == null && !anonymous) {
            throw new BadInputException("route needs --from NUMBER (or --anonymous)");
        }
        when = at == null ? main.clock().instant() : TimeArgs.instant("--at", at);
    }

    @Override
    Integer run(Database database) {
        Book book = requireBook(database);
        String region = book.defaults().region();
        requireReadable("--to", to, region);
        if (forwardedFrom != null) requireReadable("--forwarded-from", forwardedFrom, region);
        if (from != null && !PhoneNumbers.looksAnonymous(from)) {
            requireReadable("--from", from, callerRegion(book, region));
        }
        Call call = new Call(to, from == null ? "" : from, forwardedFrom, anonymous, null);
        // the calendars as the store holds them (the server's last good copies); route never fetches
        var calendars = StoredViews.at(new CalendarStore(database), book, when, CalendarCommand.HORIZON);
        Snapshots snapshots = new Snapshots(books(database), new OverrideStore(database), new DutyStore(database));
        Decision decision = Router.decide(snapshots.of(book, when).withCalendars(calendars), call, when);
        out().println(DecisionJson.write(decision));
        out().flush();
        return Main.OK;
    }

    /** Caller numbers are read in the called client's region, as the router reads them. */
    private String callerRegion(Book book, String region) {
        BookIndex index = BookIndex.of(book);
        BookIndex.ClientEntry entry = null;
        if (forwardedFrom != null) entry = index.byLine(PhoneNumbers.normalizeIncoming(forwardedFrom, region));
        if (entry == null) entry = index.byLine(PhoneNumbers.normalizeIncoming(to, region));
        return entry == null ? region : entry.client().region();
    }

    private static void requireReadable(String option, String number, String region) {
        try {
            PhoneNumbers.toE164(number, region);
        } catch (PhoneNumbers.UnreadableNumberException e) {
            throw new BadInputException("unreadable " + option + " number: " + e.getMessage());
        }
    }
}
