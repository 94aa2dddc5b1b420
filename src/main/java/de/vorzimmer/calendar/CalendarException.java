package de.vorzimmer.calendar;

/**
 * A calendar that cannot be used: fetched with an error, too large, not iCalendar, or with an event that cannot be
 * read. The message names what was wrong (the URL, the HTTP status, the line of the broken property) and is shown
 * to the admin as it is; it never holds credentials.
 */
public class CalendarException extends Exception {
    private final int httpStatus;

    public CalendarException(String message) {
        this(message, 0, null);
    }

    public CalendarException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public CalendarException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status that caused it, 0 if none. */
    public int httpStatus() {
        return httpStatus;
    }
}
