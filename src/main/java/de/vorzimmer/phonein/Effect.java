package de.vorzimmer.phonein;

import de.vorzimmer.status.Override;
import java.time.Instant;
import java.util.Objects;

/** What a dialog step wants done in the world; {@link PhoneInLine} carries it out, in order, before the prompts. */
public sealed interface Effect {
    /** Store a status or expect override (source {@code phone-in}) and make routing see it. */
    record SetOverride(Override override) implements Effect {
        public SetOverride {
            Objects.requireNonNull(override, "override == null");
        }
    }

    /** The caller has heard message {@code id}. */
    record MarkRead(long messageId) implements Effect {
    }

    /** A PIN attempt for {@code clientId}, right or wrong. */
    record PinAttempt(String clientId, boolean ok) implements Effect {
        public PinAttempt {
            Objects.requireNonNull(clientId, "clientId == null");
        }
    }

    /** Too many wrong PINs: lock phone-in for {@code clientId} until {@code until} and tell the secretaries. */
    record Lock(String clientId, Instant until, int failures) implements Effect {
        public Lock {
            Objects.requireNonNull(clientId, "clientId == null");
            Objects.requireNonNull(until, "until == null");
        }
    }
}
