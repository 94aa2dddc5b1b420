package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.store.Database;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vorzimmer expect CLIENT NUMBER}: the caller is put through (default rule 3) until then. */
@Command(name = "expect", description = "Mark a caller as expected by a client: put through while expected.")
final class ExpectCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CLIENT", description = "The client id.")
    String clientId;

    @Parameters(index = "1", paramLabel = "NUMBER",
            description = "The caller's number, read in the client's region; a trailing * matches a prefix.")
    String number;

    @Option(names = "--until", paramLabel = "ISO-LOCAL-OR-INSTANT",
            description = "When it ends: HH:MM or 2026-11-28T15:00 in the client's timezone, or an instant "
                    + "(default: until replaced by a newer expect for the number).")
    String until;

    @Option(names = "--note", paramLabel = "TEXT", description = "Who it is or why, for the secretaries.")
    String note;

    @java.lang.Override
    Integer run(Database database) {
        Book book = requireBook(database);
        Client client = requireClient(book, clientId);
        NumberPattern pattern;
        try {
            pattern = PhoneNumbers.toPattern(number, client.region());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unreadable number for client '" + client.id() + "': " + e.getMessage());
        }
        Instant now = main.clock().instant();
        Instant end = until == null ? null : TimeArgs.until("--until", until, client.timezone(), now);
        // a running server notices the new row by itself (StoreWatcher)
        StatusService status = new StatusService(new OverrideStore(database), new DutyStore(database), () -> { });
        Override stored = status.set(
                new Override(0, client.id(), OverrideKind.EXPECT, pattern, now, end, note, "cli"));
        out().println(client.id() + ": expecting " + stored.number() + " from "
                + TimeArgs.local(stored.setAt(), client.timezone()) + untilText(stored.until(), client)
                + noteText(note));
        return Main.OK;
    }

    static String untilText(Instant until, Client client) {
        return until == null ? " until replaced" : " until " + TimeArgs.local(until, client.timezone());
    }

    static String noteText(String note) {
        return note == null || note.isBlank() ? "" : " (" + Main.oneLine(note) + ")";
    }
}
