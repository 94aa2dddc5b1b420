package de.vorzimmer.book;

import java.time.Instant;
import java.util.Optional;

/**
 * Keys the PIN hashes of the book in force with the server's pepper at start-up ({@link PinHasher#rekey}: no PIN is
 * needed), stored as a new book version; and counts what cannot be keyed here, so the operator hears of it.
 */
public final class PinKeys {
    /** The source a re-keyed book version is stored with. */
    public static final String SOURCE = "pin re-key";

    private PinKeys() {
    }

    /**
     * @param rekeyed     clients whose PIN hash was keyed now
     * @param otherKey    clients whose PIN hash was keyed under another key (their phone-in PIN fails until set again)
     * @param bookVersion the version now in force (0 without a book)
     */
    public record Outcome(int rekeyed, int otherKey, long bookVersion) {
    }

    /** Re-keys the current book's unkeyed PIN hashes with {@code pins}' pepper; nothing is stored if none needs it. */
    public static Outcome rekeyCurrentBook(BookStore books, PinHasher pins, Instant now) throws BookException {
        Optional<BookStore.Version> current = books.currentVersion();
        if (current.isEmpty()) return new Outcome(0, 0, 0);
        // the usual start: every hash keyed with this server's key, seen in the text without reading the whole book
        // (parsing a 10,000-client book takes seconds, and the routing snapshot comes from its binary form anyway)
        if (allKeyedHere(current.get().yaml(), pins)) return new Outcome(0, 0, current.get().id());
        Book book = BookLoader.loadWritten(current.get().yaml(), pins);
        Book keyed = rekey(book, pins);
        int otherKey = (int) book.clients().stream().filter(c -> c.pinHash() != null && pins.keyedElsewhere(c.pinHash())).count();
        if (keyed == book) return new Outcome(0, otherKey, current.get().id());
        long version = books.save(keyed, SOURCE, now);
        return new Outcome(unkeyed(book), otherKey, version);
    }

    /** {@code book} with its unkeyed PIN hashes keyed by {@code pins}' pepper; the same instance if none needs it. */
    public static Book rekey(Book book, PinHasher pins) throws BookException {
        if (pins.pepper() == null) throw new IllegalArgumentException("pins has no pepper");
        if (unkeyed(book) == 0) return book;
        String yaml = BookWriter.write(book);
        for (Client c : book.clients()) {
            String hash = c.pinHash();
            // the hash string is random (its salt) and appears in the written text as it is: replace it there
            if (hash != null && !PinHasher.isKeyed(hash)) yaml = yaml.replace(hash, pins.rekey(hash));
        }
        return BookLoader.loadWritten(yaml, pins);
    }

    /**
     * True if every PIN hash written in {@code yaml} is keyed with {@code pins}' own key (or there is none): each hash
     * starts with the scheme's name and runs to the next character that no hash holds (quote, blank, comma, line end).
     */
    static boolean allKeyedHere(String yaml, PinHasher pins) {
        for (int at = yaml.indexOf(PinHasher.SCHEME); at >= 0; at = yaml.indexOf(PinHasher.SCHEME, at + 1)) {
            int end = at;
            while (end < yaml.length() && isHashChar(yaml.charAt(end))) end++;
            String hash = yaml.substring(at, end);
            if (!PinHasher.isKeyed(hash) || pins.keyedElsewhere(hash)) return false;
        }
        return true;
    }

    private static boolean isHashChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$' || c == '.' || c == '-'
                || c == '+' || c == '/' || c == '=' || c == '_';
    }

    private static int unkeyed(Book book) {
        return (int) book.clients().stream().filter(c -> c.pinHash() != null && !PinHasher.isKeyed(c.pinHash())).count();
    }
}
