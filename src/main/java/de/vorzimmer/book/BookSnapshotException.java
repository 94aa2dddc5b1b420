package de.vorzimmer.book;

/**
 * A {@link BookSnapshot} could not be read: not a snapshot, another format, damaged or cut short. The message
 * names what was found and what was expected. The store then reads the book's YAML text instead.
 */
public final class BookSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    public BookSnapshotException(String message) {
        super(message);
    }

    public BookSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
