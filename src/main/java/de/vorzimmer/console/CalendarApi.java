package de.vorzimmer.console;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.calendar.Appointment;
import de.vorzimmer.calendar.AppointmentBooker;
import de.vorzimmer.calendar.BookingRefused;
import de.vorzimmer.calendar.CalendarSync;
import de.vorzimmer.calendar.FeedState;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.StatusTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's calendar routes under {@code /api/v1} (behind the guard {@link HttpApi} installed): a client's
 * free/busy for the next days, fetching a calendar now, booking a caller's appointment, and for the admin the
 * fetch state of every calendar with its last error. One handler method per route.
 */
public final class CalendarApi {
    private static final Logger LOG = LoggerFactory.getLogger(CalendarApi.class);
    static final int MAX_DAYS = 31;

    /**
     * A confirmation SMS to the caller, queued through the outbox: client, a key unique to the booking, the caller's
     * number (E.164), the text. Blocking.
     */
    public interface Confirmation {
        void send(Client client, String key, String to, String text);
    }

    private final Vertx vertx;
    private final LiveRouting routing;
    private final CalendarSync sync;
    private final AppointmentBooker booker;
    private final Confirmation confirmation;

    /** @param confirmation null when no SMS can be sent (no outbox configured) */
    public CalendarApi(Vertx vertx, LiveRouting routing, CalendarSync sync, AppointmentBooker booker,
                       Confirmation confirmation) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.sync = Objects.requireNonNull(sync, "sync == null");
        this.booker = Objects.requireNonNull(booker, "booker == null");
        this.confirmation = confirmation;
    }

    /** Mount after {@link HttpApi#mount}, which puts the guard in front of {@code /api/v1/*}. */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY);
        router.get("/api/v1/clients/:id/calendar").handler(this::freeBusy);
        router.post("/api/v1/clients/:id/calendar/sync").handler(body).handler(this::syncNow);
        router.post("/api/v1/clients/:id/appointments").handler(body).handler(this::book);
        router.get("/api/v1/admin/calendars").handler(this::adminStates);
    }

    private void freeBusy(RoutingContext ctx) {
        Client c = client(ctx);
        int days = days(ctx.request().getParam("days"));
        Instant now = routing.now();
        CalendarView v = routing.snapshot().calendar(c.id());
        ZoneId zone = c.timezone();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Instant end = today.plusDays(days).atStartOfDay(zone).toInstant();
        JsonArray busy = new JsonArray();
        for (CalendarView.Busy b : v.busyBetween(now, end)) {
            busy.add(new JsonObject().put("start", b.start().toString()).put("end", b.end().toString()).put("note", b.note()));
        }
        JsonArray holidays = new JsonArray();
        for (LocalDate d = today; d.isBefore(today.plusDays(days)); d = d.plusDays(1)) {
            String name = v.holidayOn(d);
            if (name != null) holidays.add(new JsonObject().put("date", d.toString()).put("name", name));
        }
        StatusTimeline.Reading r = StatusTimeline.at(routing.snapshot().live().of(c.id()), v, c.hours(), zone, now);
        JsonObject o = new JsonObject().put("client", c.id()).put("timezone", zone.getId()).put("at", now.toString())
                .put("days", days).put("calendar", c.calendar() != null).put("bookInto", c.calendar() != null
                        && c.calendar().bookInto()).put("holidays", c.holidays() == null ? null : c.holidays().code())
                .put("known", v.hasCalendar()).put("knownUntil", v.to() == null ? null : v.to().toString())
                .put("staleSince", v.staleSince() == null ? null : v.staleSince().toString())
                .put("status", ClientJson.statusOf(c, routing.snapshot(), now)).put("why", r.why())
                .put("busy", busy).put("holidayDates", holidays);
        ConsoleApi.json(ctx, 200, o);
    }

    private void syncNow(RoutingContext ctx) {
        Client c = client(ctx);
        if (c.calendar() == null) throw new ApiException(404, "client '" + c.id() + "' has no calendar");
        boolean admin = AuthHandler.principal(ctx).isAdmin();
        sync.syncNow(c.id()).onFailure(ctx::fail).onSuccess(o -> {
            JsonObject out = new JsonObject().put("client", c.id()).put("ok", o.ok()).put("changed", o.changed())
                    .put("events", o.events());
            // the error names the URL and the server's answer: for the admin; a secretary learns that it failed
            if (!o.ok()) out.put("error", admin ? o.error() : "the calendar could not be fetched; the last good copy stays in use");
            ConsoleApi.json(ctx, o.ok() ? 200 : 502, out);
        });
    }

    private void book(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        Client c = client(ctx);
        JsonObject b = HttpApi.jsonBody(ctx);
        Instant now = routing.now();
        Instant start = time(b, "start", c.timezone());
        Instant end;
        if (b.getValue("minutes") != null) {
            Object m = b.getValue("minutes");
            if (!(m instanceof Number n) || n.intValue() < 5 || n.intValue() > 24 * 60) {
                throw ApiException.badRequest("field 'minutes' must be a number from 5 to 1440");
            }
            end = start.plus(Duration.ofMinutes(n.intValue()));
        } else {
            end = time(b, "end", c.timezone());
        }
        String title = ConsoleApi.text(b, "title", Appointment.MAX_TEXT);
        String callerName = ConsoleApi.optional(b, "callerName", Appointment.MAX_TEXT);
        String number = ConsoleApi.optional(b, "callerNumber", 40);
        String e164 = null;
        if (number != null && !number.isBlank()) {
            try {
                e164 = PhoneNumbers.toE164(number, c.region());
            } catch (RuntimeException e) {
                throw ApiException.badRequest("field 'callerNumber' = '" + number + "' is not a phone number: " + e.getMessage());
            }
        }
        String note = ConsoleApi.optional(b, "note", Appointment.MAX_TEXT);
        Object smsValue = b.getValue("sms");
        if (smsValue != null && !(smsValue instanceof Boolean)) throw ApiException.badRequest("field 'sms' must be true or false");
        boolean sms = Boolean.TRUE.equals(smsValue);
        if (sms && e164 == null) throw ApiException.badRequest("an SMS confirmation needs the caller's number");
        if (sms && confirmation == null) throw ApiException.badRequest("SMS cannot be sent: no SMS provider is configured");
        Appointment a;
        try {
            a = new Appointment(start, end, title.strip(), callerName, e164, note, p.username());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String to = e164;
        booker.book(c.id(), a).onFailure(e -> {
            if (e instanceof BookingRefused r) {
                ConsoleApi.json(ctx, 409, new JsonObject().put("error", "not booked: " + r.getMessage()).put("reason", r.getMessage()));
            } else {
                LOG.warn("calendar {}: booking failed: {}", c.id(), e.getMessage());
                ConsoleApi.json(ctx, 502, new JsonObject().put("error", "not booked: " + e.getMessage()));
            }
        }).onSuccess(booked -> {
            JsonObject out = new JsonObject().put("uid", booked.uid()).put("start", start.toString())
                    .put("end", end.toString()).put("title", a.title()).put("sms", false);
            if (!sms) {
                ConsoleApi.json(ctx, 201, out);
                return;
            }
            vertx.executeBlocking(() -> {
                confirmation.send(c, "booking:" + booked.uid(), to, de.vorzimmer.calendar.SmsConfirmation.text(c, a));
                return null;
            }, false).onComplete(ar -> {
                out.put("sms", ar.succeeded());
                if (ar.failed()) out.put("smsError", String.valueOf(ar.cause().getMessage()));
                ConsoleApi.json(ctx, 201, out);
            });
        });
    }

    private void adminStates(RoutingContext ctx) {
        AuthHandler.requireAdmin(ctx);
        Map<String, BookIndex.ClientEntry> clients = new java.util.HashMap<>();
        for (BookIndex.ClientEntry e : routing.snapshot().book().clients()) clients.put(e.client().id(), e);
        JsonArray out = new JsonArray();
        List<FeedState> states = sync.states().stream().sorted(Comparator.comparing(FeedState::clientId)).toList();
        for (FeedState s : states) {
            if (!clients.containsKey(s.clientId())) continue;
            out.add(new JsonObject().put("client", s.clientId()).put("url", s.url()).put("ok", !s.stale())
                    .put("goodAt", str(s.goodAt())).put("checkedAt", str(s.checkedAt()))
                    .put("staleSince", str(s.failingSince())).put("failures", s.failures()).put("error", s.lastError())
                    .put("nextAt", str(s.nextAt())).put("events", s.busy() == null ? null : s.busy().size()));
        }
        ConsoleApi.json(ctx, 200, new JsonObject().put("calendars", out));
    }

    private Client client(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        BookIndex.ClientEntry e = routing.snapshot().book().client(id);
        if (e == null) throw new ApiException(404, "no client '" + id + "'");
        return e.client();
    }

    /** An ISO instant or a local date-time in the client's zone ({@code 2026-12-07T09:00}). */
    private static Instant time(JsonObject b, String field, ZoneId zone) {
        String text = ConsoleApi.text(b, field, 40);
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw ApiException.badRequest("field '" + field + "' = '" + text
                        + "' is neither an ISO instant (2026-12-07T08:00:00Z) nor a local time (2026-12-07T09:00)");
            }
        }
    }

    private static int days(String text) {
        if (text == null || text.isBlank()) return 7;
        try {
            int d = Integer.parseInt(text.trim());
            if (d < 1 || d > MAX_DAYS) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter 'days' = '" + text + "' must be a number from 1 to " + MAX_DAYS);
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
