package de.vorzimmer.book;

import java.util.List;
import java.util.Objects;

/**
 * A named caller in a client's book with one or more numbers or prefix patterns.
 *
 * @param note what the secretary should know about this caller ("Familie – keine Daten aufnehmen"), shown on the
 *             screen-pop; null for none
 */
public record Contact(String name, List<NumberPattern> numbers, ContactClass contactClass, String note) {
    /** Longest note a contact may have, in characters. */
    public static final int MAX_NOTE = 500;

    public Contact {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(contactClass, "contactClass == null");
        numbers = List.copyOf(numbers);
        if (numbers.isEmpty()) throw new IllegalArgumentException("contact '" + name + "' has no numbers");
        if (note != null && (note.isBlank() || note.length() > MAX_NOTE)) {
            throw new IllegalArgumentException("contact '" + name + "': note must be 1 to " + MAX_NOTE + " characters");
        }
    }

    /** A contact without a note. */
    public Contact(String name, List<NumberPattern> numbers, ContactClass contactClass) {
        this(name, numbers, contactClass, null);
    }
}
