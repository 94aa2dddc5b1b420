package de.vorzimmer.status;

import de.vorzimmer.book.NumberPattern;
import java.time.Instant;
import java.util.Objects;

/**
 * One live instruction from a client ("in a meeting until 3", "expecting Mr. Meier").
 * It runs from {@code setAt} until {@code until}, or, without {@code until}, until a newer override
 * of the same sort replaces it (a newer status override; for {@code EXPECT}, a newer one for the same number).
 *
 * @param id      store id, 0 when not yet stored
 * @param number  the expected caller for {@code EXPECT}, null otherwise
 * @param until   exclusive end, or null
 * @param source  who set it: cli, console, api, phone-in, sms
 */
public record Override(long id, String clientId, OverrideKind kind, NumberPattern number, Instant setAt,
                       Instant until, String note, String source) {
    public Override {
        Objects.requireNonNull(clientId, "clientId == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(setAt, "setAt == null");
        if (kind == OverrideKind.EXPECT && number == null) {
            throw new IllegalArgumentException("an expect override needs a number");
        }
        if (kind != OverrideKind.EXPECT && number != null) {
            throw new IllegalArgumentException("only an expect override has a number");
        }
        if (until != null && until.isBefore(setAt)) {
            throw new IllegalArgumentException("until " + until + " is before set time " + setAt);
        }
        source = source == null ? "unknown" : source;
    }

    public Override withId(long newId) {
        return new Override(newId, clientId, kind, number, setAt, until, note, source);
    }
}
