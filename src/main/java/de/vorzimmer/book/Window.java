package de.vorzimmer.book;


import java.time.LocalDateTime;
import java.util.Objects;

/**
 * A weekly window of wall-clock time, e.g. {@code mon-fri 08:30-12:00}. Minutes of the day run from
 * {@code from} (0..1439) to {@code to} (1..1440, where 1440 is {@code 24:00}). A window whose {@code to} is
 * not after {@code from} ends on the next day; {@code days} names the day it starts on.
 *
 * <p>Evaluation is on the local date-time, so a window lying in a spring-forward gap is empty that day and
 * one in the repeated autumn hour holds for both passes.
 */
public record Window(DaySet days, int from, int to) {
    public static final int END_OF_DAY = 24 * 60;

    public Window {
        Objects.requireNonNull(days, "days == null");
        if (from < 0 || from >= END_OF_DAY) throw new IllegalArgumentException("from " + from + " out of range");
        if (to < 0 || to > END_OF_DAY) throw new IllegalArgumentException("to " + to + " out of range");
    }

    public boolean crossesMidnight() {
        return to <= from;
    }

    public boolean contains(LocalDateTime local) {
        int minute = local.getHour() * 60 + local.getMinute();
        if (!crossesMidnight()) {
            return minute >= from && minute < to && days.contains(local.getDayOfWeek());
        }
        return (minute >= from && days.contains(local.getDayOfWeek()))
                || (minute < to && days.contains(local.getDayOfWeek().minus(1)));
    }

    /** Parses {@code HH:MM}; {@code 24:00} only where {@code allowEndOfDay}. Returns minutes of the day. */
    public static int parseTime(String text, boolean allowEndOfDay) {
        if (text == null) throw new IllegalArgumentException("time is missing");
        String t = text.trim();
        if (!t.matches("\\d{1,2}:\\d{2}")) {
            throw new IllegalArgumentException("'" + text + "' is not a time HH:MM");
        }
        int colon = t.indexOf(':');
        int h = Integer.parseInt(t.substring(0, colon));
        int m = Integer.parseInt(t.substring(colon + 1));
        if (h == 24 && m == 0) {
            if (allowEndOfDay) return END_OF_DAY;
            throw new IllegalArgumentException("'" + text + "' is not allowed here (24:00 only as an end)");
        }
        if (h > 23 || m > 59) throw new IllegalArgumentException("'" + text + "' is not a time of day");
        return h * 60 + m;
    }

    public static String formatTime(int minutes) {
        int h = minutes / 60;
        int m = minutes % 60;
        return new String(new char[] {(char) ('0' + h / 10), (char) ('0' + h % 10), ':',
            (char) ('0' + m / 10), (char) ('0' + m % 10)});
    }

    @Override
    public String toString() {
        return days + " " + formatTime(from) + "-" + formatTime(to);
    }
}
