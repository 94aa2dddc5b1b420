package de.vorzimmer.twilio;

import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.status.OverrideKind;
import java.time.Instant;
import java.util.Objects;

/** What a client's SMS asks for, as {@link SmsCommandParser} read it. */
public sealed interface SmsCommand {

    /** Set the status ({@code AVAILABLE}, {@code UNAVAILABLE}, {@code DND}, {@code SCHEDULE}), until an instant or open. */
    record SetStatus(OverrideKind kind, Instant until, String note) implements SmsCommand {
        public SetStatus {
            Objects.requireNonNull(kind, "kind == null");
            if (!kind.isStatus()) throw new IllegalArgumentException(kind.word() + " is not a status");
        }
    }

    /** Put a caller through, until an instant or open. */
    record Expect(NumberPattern number, Instant until, String note) implements SmsCommand {
        public Expect {
            Objects.requireNonNull(number, "number == null");
        }
    }

    /** {@code STATUS}: tell the client the current status. */
    record Query() implements SmsCommand {
    }

    /**
     * {@code OK}, {@code JA}, {@code YES} or {@code 1}, optionally with the reference an urgent SMS showed
     * ({@code OK 42}): confirms an urgent message. {@code reference} is null when none was given.
     */
    record Confirm(String reference) implements SmsCommand {
    }

    /** {@code HELP} / {@code HILFE}. */
    record Help() implements SmsCommand {
    }

    /** Not understood; nothing changes. {@code detail} is the part of the text that was not understood. */
    record Invalid(Problem problem, String detail) implements SmsCommand {
        public Invalid {
            Objects.requireNonNull(problem, "problem == null");
            detail = detail == null ? "" : detail;
        }
    }

    enum Problem {
        EMPTY, UNKNOWN_COMMAND, BAD_TIME, TIME_PASSED, TOO_FAR, MISSING_NUMBER, BAD_NUMBER
    }
}
