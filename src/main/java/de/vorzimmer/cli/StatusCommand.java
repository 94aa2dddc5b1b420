package de.vorzimmer.cli;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
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

/** {@code vorzimmer status CLIENT available|unavailable|dnd|schedule}: sets a status override from now on. */
@Command(name = "status", description = "Set a client's status from now on; schedule hands back to the office hours.")
final class StatusCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CLIENT", description = "The client id.")
    String clientId;

    @Parameters(index = "1", paramLabel = "available|unavailable|dnd|schedule", description = "The new status.")
    String state;

    @Option(names = "--until", paramLabel = "ISO-LOCAL-OR-INSTANT",
            description = "When it ends: HH:MM or 2026-11-28T15:00 in the client's timezone, or an instant "
                    + "like 2026-11-28T14:00:00Z (default: until replaced).")
    String until;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the secretaries.")
    String note;

    private OverrideKind kind;

    @java.lang.Override
    void prepare() {
        try {
            kind = OverrideKind.parse(state);
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || kind == OverrideKind.EXPECT) {
            throw new BadInputException("bad status '" + state
                    + "': expected available, unavailable, dnd or schedule (callers: vorzimmer expect)");
        }
    }

    @java.lang.Override
    Integer run(Database database) {
        Book book = requireBook(database);
        Client client = requireClient(book, clientId);
        Instant now = main.clock().instant();
        Instant end = until == null ? null : TimeArgs.until("--until", until, client.timezone(), now);
        // a running server notices the new row by itself (StoreWatcher)
        StatusService status = new StatusService(new OverrideStore(database), new DutyStore(database), () -> { });
        Override stored = status.set(new Override(0, client.id(), kind, null, now, end, note, "cli"));
        String what = kind == OverrideKind.SCHEDULE ? "schedule (office hours decide)" : kind.word();
        out().println(client.id() + ": " + what + " from " + TimeArgs.local(stored.setAt(), client.timezone())
                + ExpectCommand.untilText(stored.until(), client) + ExpectCommand.noteText(note));
        return Main.OK;
    }
}
