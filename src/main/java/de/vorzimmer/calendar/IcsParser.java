package de.vorzimmer.calendar;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ContentHandler;
import net.fortuna.ical4j.data.ParserException;

/**
 * Reads iCalendar text into an {@link IcsFeed}. ical4j's parser does the RFC 5545 syntax (unfolding, parameters,
 * quoting) and reports a syntax error with its line; this class collects what availability needs from its events
 * without building ical4j's object model (whose VTIMEZONE handling costs milliseconds per feed and registers a new
 * Java zone id per parse). Several {@code VCALENDAR} objects in one text (a CalDAV collection) are read in turn.
 * Pure: no clock, no I/O beyond the reader.
 */
public final class IcsParser {
    /** Most events read from one feed; beyond that the feed is refused rather than held in memory. */
    public static final int MAX_EVENTS = 100_000;

    private IcsParser() {
    }

    public static IcsFeed parse(String text) throws CalendarException {
        return parse(new StringReader(text));
    }

    /** @throws CalendarException naming the line of a syntax error, or saying the text is no iCalendar at all */
    public static IcsFeed parse(Reader in) throws CalendarException {
        LineCounter lines = new LineCounter(in);
        PushbackReader reader = new PushbackReader(lines, 1);
        Collector collector = new Collector(lines);
        try {
            int calendars = 0;
            while (true) {
                int c = reader.read();
                while (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\uFEFF') c = reader.read();
                if (c < 0) break;
                reader.unread(c);
                if (calendars == 0 && c == '<') {
                    throw new CalendarException("not iCalendar: the text starts with '<' (an HTML or XML page, "
                            + "perhaps a login page) instead of BEGIN:VCALENDAR");
                }
                new CalendarParserImpl().parse(reader, collector);
                calendars++;
            }
            if (calendars == 0) throw new CalendarException("not iCalendar: the text is empty");
        } catch (ParserException e) {
            throw new CalendarException("not readable as iCalendar: line " + e.getLineNo() + ": " + message(e), e);
        } catch (IOException e) {
            throw new CalendarException("cannot read the calendar: " + e.getMessage(), e);
        } catch (TooManyEvents e) {
            throw new CalendarException("more than " + MAX_EVENTS + " events; refused");
        }
        return new IcsFeed(collector.events, collector.timezones);
    }

    private static String message(ParserException e) {
        String m = e.getMessage() == null ? "syntax error" : e.getMessage();
        // ical4j's own text starts "Error at line N:"; the line is given once, by us
        return m.replaceFirst("^Error at line \\d+:\\s*", "");
    }

    /** Unescapes a TEXT value ({@code \,} {@code \;} {@code \n} {@code \\}). */
    static String text(String value) {
        if (value.indexOf('\\') < 0) return value;
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(++i);
                sb.append(n == 'n' || n == 'N' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final class TooManyEvents extends RuntimeException {
        TooManyEvents() {
            super(null, null, false, false);
        }
    }

    /** Counts the line breaks handed to the parser, so a property knows the line it starts on. */
    private static final class LineCounter extends Reader {
        private final Reader in;
        int newlines;

        LineCounter(Reader in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c == '\n') newlines++;
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            // one character at a time: the parser reads through a PushbackReader anyway, and an exact count needs it
            if (len == 0) return 0;
            int c = read();
            if (c < 0) return -1;
            buf[off] = (char) c;
            return 1;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Builds events from the parser's callbacks. */
    private static final class Collector implements ContentHandler {
        private final LineCounter lines;
        final List<IcsFeed.Event> events = new ArrayList<>();
        final Map<String, String> timezones = new HashMap<>();
        private final Deque<String> components = new ArrayDeque<>();
        private EventBuilder event;
        private StringBuilder timezone;
        private String timezoneId;
        private String propertyName;
        private int propertyLine;
        private Map<String, String> params = new HashMap<>();
        private String value;

        Collector(LineCounter lines) {
            this.lines = lines;
        }

        @Override
        public void startCalendar() {
        }

        @Override
        public void endCalendar() {
        }

        @Override
        public void startComponent(String name) {
            String n = name.toUpperCase(Locale.ROOT);
            components.push(n);
            int line = lines.newlines + 1;
            if (n.equals("VEVENT") && components.size() == 1) {
                if (events.size() >= MAX_EVENTS) throw new TooManyEvents();
                event = new EventBuilder(line);
            } else if (n.equals("VTIMEZONE") && components.size() == 1) {
                timezone = new StringBuilder("BEGIN:VTIMEZONE\r\n");
                timezoneId = null;
            } else if (timezone != null) {
                timezone.append("BEGIN:").append(n).append("\r\n");
            }
        }

        @Override
        public void endComponent(String name) {
            String n = components.isEmpty() ? name.toUpperCase(Locale.ROOT) : components.pop();
            if (components.isEmpty() && n.equals("VEVENT") && event != null) {
                events.add(event.build());
                event = null;
            } else if (components.isEmpty() && n.equals("VTIMEZONE") && timezone != null) {
                timezone.append("END:VTIMEZONE\r\n");
                if (timezoneId != null) timezones.putIfAbsent(timezoneId, timezone.toString());
                timezone = null;
            } else if (timezone != null) {
                timezone.append("END:").append(n).append("\r\n");
            }
        }

        @Override
        public void startProperty(String name) {
            propertyName = name.toUpperCase(Locale.ROOT);
            propertyLine = lines.newlines + 1;
            params = new HashMap<>();
            value = "";
        }

        @Override
        public void parameter(String name, String v) {
            String p = v == null ? "" : v;
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) p = p.substring(1, p.length() - 1);
            params.putIfAbsent(name.toUpperCase(Locale.ROOT), p);
        }

        @Override
        public void propertyValue(String v) {
            value = v == null ? "" : v;
        }

        @Override
        public void endProperty(String name) {
            if (timezone != null) {
                timezone.append(propertyName);
                params.forEach((k, v) -> timezone.append(';').append(k).append("=\"").append(v).append('"'));
                timezone.append(':').append(value).append("\r\n");
                if (components.size() == 1 && propertyName.equals("TZID")) timezoneId = value;
                return;
            }
            if (event == null || components.size() != 1) return;
            event.add(new IcsFeed.Property(propertyName, params, value, propertyLine));
        }
    }

    private static final class EventBuilder {
        private final int line;
        private String uid;
        private String summary;
        private String status;
        private String transp;
        private String classification;
        private IcsFeed.Property start;
        private IcsFeed.Property end;
        private IcsFeed.Property duration;
        private IcsFeed.Property recurrenceId;
        private final List<IcsFeed.Property> rrules = new ArrayList<>(1);
        private final List<IcsFeed.Property> exdates = new ArrayList<>(0);
        private final List<IcsFeed.Property> rdates = new ArrayList<>(0);

        EventBuilder(int line) {
            this.line = line;
        }

        void add(IcsFeed.Property p) {
            switch (p.name()) {
                case "UID" -> uid = uid == null ? p.value().strip() : uid;
                case "SUMMARY" -> summary = summary == null ? text(p.value()).strip() : summary;
                case "STATUS" -> status = p.value().strip().toUpperCase(Locale.ROOT);
                case "TRANSP" -> transp = p.value().strip().toUpperCase(Locale.ROOT);
                case "CLASS" -> classification = p.value().strip().toUpperCase(Locale.ROOT);
                case "DTSTART" -> start = start == null ? p : start;
                case "DTEND" -> end = end == null ? p : end;
                case "DURATION" -> duration = duration == null ? p : duration;
                case "RECURRENCE-ID" -> recurrenceId = recurrenceId == null ? p : recurrenceId;
                case "RRULE" -> rrules.add(p);
                case "EXDATE" -> exdates.add(p);
                case "RDATE" -> rdates.add(p);
                default -> {
                }
            }
        }

        IcsFeed.Event build() {
            return new IcsFeed.Event(line, uid, summary, status, transp, classification, start, end, duration,
                    recurrenceId, rrules, exdates, rdates);
        }
    }
}
