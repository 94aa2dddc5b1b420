package de.vorzimmer.cli;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vorzimmer expect CLIENT NUMBER}: the caller is put through (default rule 3) until then. */
@Command(name = "expect", description = "Mark a caller as expected by a client: put through while expected.")
final class ExpectCommand extends OverrideCommand {
    @Parameters(index = "1", paramLabel = "NUMBER",
            description = "The caller's number, read in the client's region; a trailing * matches a prefix.")
    String number;

    @java.lang.Override
    OverrideKind kind() {
        return OverrideKind.EXPECT;
    }

    @java.lang.Override
    NumberPattern number(Client client) {
        try {
            return PhoneNumbers.toPattern(number, client.region());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unreadable number for client '" + client.id() + "': " + e.getMessage());
        }
    }

    @java.lang.Override
    String what(Override stored) {
        return "expecting " + stored.number();
    }
}
