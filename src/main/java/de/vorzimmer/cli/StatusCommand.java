package de.vorzimmer.cli;

import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vorzimmer status CLIENT available|unavailable|dnd|schedule}: sets a status override from now on. */
@Command(name = "status", description = "Set a client's status from now on; schedule hands back to the office hours.")
final class StatusCommand extends OverrideCommand {
    @Parameters(index = "1", paramLabel = "available|unavailable|dnd|schedule", description = "The new status.")
    String state;

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
    OverrideKind kind() {
        return kind;
    }

    @java.lang.Override
    String what(Override stored) {
        return kind == OverrideKind.SCHEDULE ? "schedule (office hours decide)" : kind.word();
    }
}
