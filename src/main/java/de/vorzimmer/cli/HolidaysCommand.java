package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.calendar.PublicHolidays;
import de.vorzimmer.store.Database;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vorzimmer holidays CLIENT [--year Y]}: the public holidays that make the client unavailable. */
@Command(name = "holidays", description = "List a client's public holidays (its holidays region) for a year.")
final class HolidaysCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CLIENT", description = "The client's id.")
    String client;

    @Option(names = "--year", paramLabel = "Y", description = "The year (default: this year in the client's zone).")
    Integer year;

    @Override
    void prepare() {
        if (year != null && (year < 1900 || year > 2200)) {
            throw new BadInputException("--year " + year + " is out of range (1900 to 2200)");
        }
    }

    @Override
    Integer run(Database database) {
        Book book = requireBook(database);
        Client c = requireClient(book, client);
        if (c.holidays() == null) {
            throw new BadInputException("client '" + client + "' has no holidays region in the book (holidays: DE-BY)");
        }
        int y = year != null ? year : LocalDate.ofInstant(main.clock().instant(), c.timezone()).getYear();
        Map<LocalDate, String> days = PublicHolidays.year(c.holidays(), y, c.language());
        DateTimeFormatter weekday = DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH);
        out().println("# " + c.id() + ": public holidays " + c.holidays().code() + " " + y);
        days.forEach((d, name) -> out().println(d + " " + weekday.format(d) + " " + name));
        out().flush();
        return Main.OK;
    }
}
