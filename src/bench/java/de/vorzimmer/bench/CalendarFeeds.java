package de.vorzimmer.bench;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Generated calendars as calendar programs write them: a year of weekly events per client (three recurring series
 * with an exception and an excluded date, and a single event a week), different start times per client.
 */
final class CalendarFeeds {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private CalendarFeeds() {
    }

    /** One client's feed: weekly events from {@code first} for 52 weeks. */
    static String feed(int client, LocalDate first) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Vorzimmer//bench//EN\r\n");
        int hour = 8 + client % 6;
        series(sb, "team-" + client, "Team", first, hour, 60, "MO");
        series(sb, "op-" + client, "OP", first.plusDays(2), 8, 240, "WE");
        series(sb, "sprechstunde-" + client, "Sprechstunde", first.plusDays(4), 14, 120, "FR");
        // the series' second Monday moved to Tuesday
        String moved = DAY.format(first.plusWeeks(1));
        sb.append("BEGIN:VEVENT\r\nUID:team-").append(client).append("\r\nDTSTAMP:20250101T000000Z\r\n")
                .append("RECURRENCE-ID;TZID=Europe/Berlin:").append(moved).append('T').append(two(hour)).append("0000\r\n")
                .append("DTSTART;TZID=Europe/Berlin:").append(DAY.format(first.plusWeeks(1).plusDays(1))).append("T100000\r\n")
                .append("DTEND;TZID=Europe/Berlin:").append(DAY.format(first.plusWeeks(1).plusDays(1))).append("T110000\r\n")
                .append("SUMMARY:Team (verschoben)\r\nEND:VEVENT\r\n");
        // single events, one a week on Thursdays, some private
        for (int w = 0; w < 52; w++) {
            LocalDate d = first.plusWeeks(w).plusDays(3);
            sb.append("BEGIN:VEVENT\r\nUID:single-").append(client).append('-').append(w)
                    .append("\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;TZID=Europe/Berlin:").append(DAY.format(d))
                    .append("T").append(two(9 + w % 8)).append("3000\r\nDURATION:PT45M\r\nSUMMARY:Termin ").append(w)
                    .append("\r\n").append(w % 5 == 0 ? "CLASS:PRIVATE\r\n" : "").append("END:VEVENT\r\n");
        }
        sb.append("END:VCALENDAR\r\n");
        return sb.toString();
    }

    private static void series(StringBuilder sb, String uid, String summary, LocalDate first, int hour, int minutes,
                               String day) {
        String start = DAY.format(first) + "T" + two(hour) + "0000";
        sb.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\nDTSTAMP:20250101T000000Z\r\n")
                .append("DTSTART;TZID=Europe/Berlin:").append(start).append("\r\n")
                .append("DURATION:PT").append(minutes).append("M\r\n")
                .append("RRULE:FREQ=WEEKLY;BYDAY=").append(day).append(";COUNT=52\r\n")
                .append("EXDATE;TZID=Europe/Berlin:").append(DAY.format(first.plusWeeks(3))).append('T').append(two(hour))
                .append("0000\r\nSUMMARY:").append(summary).append("\r\nEND:VEVENT\r\n");
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }
}
