package de.vorzimmer.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads and writes the times people type on the command line. */
final class TimeArgs {
    private static final Pattern CLOCK = Pattern.compile("\\d{1,2}:\\d{2}");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TimeArgs() {
    }

    /** An ISO instant in UTC, as the list commands take it for {@code --since}: {@code 2026-11-30T08:00:00Z}. */
    static Instant utc(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadInputException(option + " '" + text + "' is not an ISO instant like 2026-11-30T08:00:00Z");
        }
    }

    /** An instant written with its zone: {@code 2026-11-30T08:00:00Z} or {@code 2026-11-30T09:00:00+01:00}. */
    static Instant instant(String option, String text) {
        try {
            return ZonedDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadInputException("bad " + option + " '" + text
                    + "': expected an instant like 2026-11-30T08:00:00Z or 2026-11-30T09:00:00+01:00");
        }
    }

    /**
     * An end time after {@code now}: {@code HH:MM} is the next such wall-clock time in {@code zone}; a local
     * date-time ({@code 2026-11-28T15:00}) is read in {@code zone}; an instant with {@code Z} or an offset is
     * taken as is.
     */
    static Instant until(String option, String text, ZoneId zone, Instant now) {
        String t = text.strip();
        Instant until;
        if (CLOCK.matcher(t).matches()) {
            LocalTime time;
            try {
                time = LocalTime.parse(t.length() == 4 ? "0" + t : t);
            } catch (DateTimeParseException e) {
                throw new BadInputException("bad " + option + " '" + text + "': not a time of day HH:MM");
            }
            LocalDate today = LocalDate.ofInstant(now, zone);
            until = ZonedDateTime.of(today, time, zone).toInstant();
            if (!until.isAfter(now)) until = ZonedDateTime.of(today.plusDays(1), time, zone).toInstant();
        } else {
            until = parseDateTime(option, text, t, zone);
        }
        if (!until.isAfter(now)) {
            throw new BadInputException(option + " " + local(until, zone) + " is not in the future (now "
                    + local(now, zone) + ")");
        }
        return until;
    }

    private static Instant parseDateTime(String option, String text, String t, ZoneId zone) {
        try {
            return ZonedDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notZoned) {
            try {
                return LocalDateTime.parse(t).atZone(zone).toInstant();
            } catch (DateTimeParseException notLocal) {
                throw new BadInputException("bad " + option + " '" + text + "': expected HH:MM, a local date-time "
                        + "like 2026-11-28T15:00 (in the client's timezone) or an instant like 2026-11-28T14:00:00Z");
            }
        }
    }

    /** {@code 2026-11-28 15:00 Europe/Berlin}; seconds only when there are any. */
    static String local(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        return (z.getSecond() == 0 && z.getNano() == 0 ? MINUTES : SECONDS).format(z) + " " + zone.getId();
    }
}
