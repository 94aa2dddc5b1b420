package de.vorzimmer.book;

import java.util.List;
import java.util.Objects;

/** A named caller in a client's book with one or more numbers or prefix patterns. */
public record Contact(String name, List<NumberPattern> numbers, ContactClass contactClass) {
    public Contact {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(contactClass, "contactClass == null");
        numbers = List.copyOf(numbers);
        if (numbers.isEmpty()) throw new IllegalArgumentException("contact '" + name + "' has no numbers");
    }
}
