package de.vorzimmer.book;

import java.util.List;
import java.util.Objects;

/** A validated client book, format 1. Build one with {@link BookLoader}; it is immutable. */
public record Book(int version, Defaults defaults, List<Secretary> secretaries, List<Client> clients) {
    public static final int FORMAT = 1;

    public Book {
        Objects.requireNonNull(defaults, "defaults == null");
        secretaries = List.copyOf(secretaries);
        clients = List.copyOf(clients);
        if (version != FORMAT) throw new IllegalArgumentException("book version " + version + ", expected " + FORMAT);
    }

    public static Book empty() {
        return new Book(FORMAT, Defaults.STANDARD, List.of(), List.of());
    }
}
