package de.vorzimmer.calendar;

/** A booking the calendar does not take, with the reason the secretary sees (a conflict, no CalDAV calendar...). */
public final class BookingRefused extends Exception {
    public BookingRefused(String reason) {
        super(reason);
    }
}
