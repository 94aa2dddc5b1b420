package de.vorzimmer.calendar;

import java.time.Instant;
import java.util.Objects;

/**
 * An appointment the secretary books for a caller into the client's calendar.
 *
 * @param callerNumber E.164, or null for a withheld number
 * @param bookedBy     the console user
 */
public record Appointment(Instant start, Instant end, String title, String callerName, String callerNumber,
                          String note, String bookedBy) {
    public static final int MAX_TEXT = 500;

    public Appointment {
        Objects.requireNonNull(start, "start == null");
        Objects.requireNonNull(end, "end == null");
        Objects.requireNonNull(title, "title == null");
        if (!end.isAfter(start)) throw new IllegalArgumentException("the appointment ends (" + end + ") before it starts (" + start + ")");
        if (title.isBlank()) throw new IllegalArgumentException("the appointment has no title");
        for (String s : new String[] {title, callerName, callerNumber, note, bookedBy}) {
            if (s != null && s.length() > MAX_TEXT) throw new IllegalArgumentException("a text of the appointment is longer than " + MAX_TEXT);
        }
    }
}
