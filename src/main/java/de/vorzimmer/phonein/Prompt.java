package de.vorzimmer.phonein;

import java.time.ZonedDateTime;
import java.util.Objects;

/** One thing the line says or plays. The adapters render it: Asterisk sound files and SAY commands, Twilio TwiML. */
public sealed interface Prompt {
    /** A phrase of the {@link PromptCatalogue}. */
    record Say(Phrase phrase) implements Prompt {
        public Say {
            Objects.requireNonNull(phrase, "phrase == null");
        }
    }

    /** Digits read one by one (a phone number); {@code +} is dropped. */
    record Digits(String digits) implements Prompt {
        public Digits {
            Objects.requireNonNull(digits, "digits == null");
            digits = digits.replace("+", "");
            if (!digits.matches("[0-9]*")) throw new IllegalArgumentException("'" + digits + "' is not digits");
        }
    }

    record Number(long value) implements Prompt {
    }

    /** A wall-clock time in the client's zone; with the weekday when it is not today. */
    record Time(ZonedDateTime at, boolean withDay) implements Prompt {
        public Time {
            Objects.requireNonNull(at, "at == null");
        }
    }

    /** A recorded message: a file path (Asterisk) or a URL (Twilio). */
    record Recording(String location) implements Prompt {
        public Recording {
            Objects.requireNonNull(location, "location == null");
        }
    }

    /** Free text (a typed message) to be spoken if the channel can; {@link Phrase#TEXT_IN_CONSOLE} otherwise. */
    record Text(String text) implements Prompt {
        public Text {
            Objects.requireNonNull(text, "text == null");
        }
    }
}
