package de.vorzimmer.cli;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.status.DutyStore;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.store.Database;
import java.time.Instant;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that sets an override of a client's from now on ({@code status}, {@code expect}) through the status
 * service, as the other channels do, and says what it stored. A running server notices the new row by itself
 * (StoreWatcher).
 */
abstract class OverrideCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CLIENT", description = "The client id.")
    String clientId;

    @Option(names = "--until", paramLabel = "ISO-LOCAL-OR-INSTANT",
            description = "When it ends: HH:MM or 2026-11-28T15:00 in the client's timezone, or an instant "
                    + "like 2026-11-28T14:00:00Z (default: until replaced).")
    String until;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why, or who it is, for the secretaries.")
    String note;

    /** The kind of override the command sets. */
    abstract OverrideKind kind();

    /** The caller the override is about, read in {@code client}'s region, or null for a status. */
    NumberPattern number(Client client) {
        return null;
    }

    /** What {@code stored} sets, as the confirmation says it (e.g. {@code dnd}). */
    abstract String what(Override stored);

    @java.lang.Override
    final Integer run(Database database) {
        Client client = requireClient(requireBook(database), clientId);
        NumberPattern number = number(client);
        Instant now = main.clock().instant();
        Instant end = until == null ? null : TimeArgs.until("--until", until, client.timezone(), now);
        StatusService status = new StatusService(new OverrideStore(database), new DutyStore(database), () -> { });
        Override stored = status.set(new Override(0, client.id(), kind(), number, now, end, note, "cli"));
        out().println(client.id() + ": " + what(stored) + " from " + TimeArgs.local(stored.setAt(), client.timezone())
                + (stored.until() == null ? " until replaced" : " until " + TimeArgs.local(stored.until(), client.timezone()))
                + (note == null || note.isBlank() ? "" : " (" + Main.oneLine(note) + ")"));
        return Main.OK;
    }
}
