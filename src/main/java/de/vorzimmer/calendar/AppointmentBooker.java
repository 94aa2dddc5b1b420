package de.vorzimmer.calendar;

import de.vorzimmer.book.CalendarSource;
import de.vorzimmer.book.Client;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.CalendarView;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books a caller's appointment into the client's CalDAV calendar: fetches the calendar first (the conflict check runs
 * against the freshest copy, not the one of up to five minutes ago), refuses an appointment that overlaps a busy
 * event, stores the new event with {@code PUT} (never overwriting one), and fetches again so board and routing see it.
 */
public final class AppointmentBooker {
    private static final Logger LOG = LoggerFactory.getLogger(AppointmentBooker.class);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

    private final CalendarSync sync;
    private final FeedFetcher fetcher;
    private final LiveRouting routing;
    private final Function<String, FeedFetcher.Credentials> credentials;

    public AppointmentBooker(CalendarSync sync, FeedFetcher fetcher, LiveRouting routing,
                             Function<String, FeedFetcher.Credentials> credentials) {
        this.sync = Objects.requireNonNull(sync, "sync == null");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.credentials = Objects.requireNonNull(credentials, "credentials == null");
    }

    /** The booked event: its UID and where it is stored. */
    public record Booked(String uid, String url, Appointment appointment) {
    }

    /** Fails with {@link BookingRefused} (conflict, no bookable calendar, calendar unreadable) or a fetch error. */
    public Future<Booked> book(String clientId, Appointment a) {
        BookIndex.ClientEntry e = routing.snapshot().book().client(clientId);
        if (e == null) return Future.failedFuture(new BookingRefused("no client '" + clientId + "'"));
        Client c = e.client();
        CalendarSource source = c.calendar();
        if (source == null || !source.bookInto() || source.kind() != CalendarSource.Kind.CALDAV) {
            return Future.failedFuture(new BookingRefused("the calendar of " + c.name()
                    + " takes no bookings (the book needs calendar: {url: CalDAV collection, book-into: true})"));
        }
        if (!a.start().isAfter(routing.now())) {
            return Future.failedFuture(new BookingRefused("the appointment starts in the past"));
        }
        return sync.syncNow(clientId).compose(o -> {
            if (!o.ok()) {
                return Future.failedFuture(new BookingRefused("the calendar could not be checked for conflicts: " + o.error()));
            }
            CalendarView v = routing.snapshot().calendar(clientId);
            if (!v.covers(a.start()) || !v.covers(a.end().minusMillis(1))) {
                return Future.failedFuture(new BookingRefused("the appointment lies beyond the calendar's horizon ("
                        + v.to() + ")"));
            }
            List<CalendarView.Busy> clash = v.busyBetween(a.start(), a.end());
            if (!clash.isEmpty()) return Future.failedFuture(new BookingRefused(conflict(clash.get(0), c.timezone())));
            String uid = UUID.randomUUID() + "@vorzimmer";
            return fetcher.put(source, credentials.apply(clientId), uid, ics(uid, a, routing.now()))
                    .map(url -> new Booked(uid, url, a));
        }).onSuccess(b -> {
            LOG.info("calendar {}: {} booked '{}' at {} for {}", clientId, a.bookedBy(), a.title(), a.start(),
                    a.callerNumber());
            sync.syncNow(clientId);
        });
    }

    static String conflict(CalendarView.Busy b, ZoneId zone) {
        return "conflicts with '" + b.note() + "' " + LOCAL.format(b.start().atZone(zone)) + "-"
                + HOUR.format(b.end().atZone(zone));
    }

    /** The event as iCalendar: title, caller and number, note, who booked it. */
    static String ics(String uid, Appointment a, Instant now) {
        StringBuilder description = new StringBuilder();
        if (a.callerName() != null && !a.callerName().isBlank()) description.append("Anrufer/Caller: ").append(a.callerName()).append('\n');
        if (a.callerNumber() != null && !a.callerNumber().isBlank()) description.append("Nummer/Number: ").append(a.callerNumber()).append('\n');
        if (a.note() != null && !a.note().isBlank()) description.append(a.note()).append('\n');
        if (a.bookedBy() != null) description.append("Gebucht von/booked by ").append(a.bookedBy()).append(" (Vorzimmer)");
        String[] lines = {"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Vorzimmer//Appointments//EN", "BEGIN:VEVENT",
            "UID:" + uid, "DTSTAMP:" + UTC.format(now), "DTSTART:" + UTC.format(a.start()), "DTEND:" + UTC.format(a.end()),
            "SUMMARY:" + text(a.title()), "DESCRIPTION:" + text(description.toString()), "TRANSP:OPAQUE",
            "END:VEVENT", "END:VCALENDAR"};
        StringBuilder out = new StringBuilder();
        for (String l : lines) fold(out, l);
        return out.toString();
    }

    /** Escapes an iCalendar TEXT value. */
    static String text(String s) {
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
                .replace("\n", "\\n").replace("\r", "\\n");
    }

    /** Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 sequence. */
    private static void fold(StringBuilder out, String line) {
        int octets = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets + n > 75) {
                out.append("\r\n ");
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += n;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
