package de.vorzimmer.console;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.IntakeField;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.status.StatusTimeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The JSON the console shows for a client: board line, expected callers, intake fields. */
final class ClientJson {
    private ClientJson() {
    }

    static JsonObject boardLine(Client c, RoutingSnapshot snapshot, Instant now) {
        JsonObject o = new JsonObject().put("id", c.id()).put("name", c.name()).put("short", c.shortName())
                .put("greeting", c.greeting()).put("language", c.language()).put("timezone", c.timezone().getId())
                .put("lines", new JsonArray(List.copyOf(c.lines())));
        o.put("status", statusOf(c, snapshot, now));
        JsonArray expected = new JsonArray();
        List<Override> overrides = snapshot.live().of(c.id());
        for (int i = 0; i < overrides.size(); i++) {
            Override x = overrides.get(i);
            if (x.kind() != OverrideKind.EXPECT || x.setAt().isAfter(now)) continue;
            if (x.until() != null ? !now.isBefore(x.until()) : replaced(overrides, i, now)) continue;
            expected.add(new JsonObject().put("number", x.number().toString()).put("until", str(x.until()))
                    .put("note", x.note()));
        }
        o.put("expected", expected);
        o.put("intake", intakeOf(c));
        return o;
    }

    /** An expect without an end lasts until a newer one for the same number (as the routing core reads it). */
    private static boolean replaced(List<Override> overrides, int index, Instant now) {
        Override o = overrides.get(index);
        for (int j = index + 1; j < overrides.size(); j++) {
            Override later = overrides.get(j);
            if (later.kind() == OverrideKind.EXPECT && later.number().equals(o.number()) && !later.setAt().isAfter(now)) {
                return true;
            }
        }
        return false;
    }

    /** Status now, what decided it, and the next change. */
    static JsonObject statusOf(Client c, RoutingSnapshot snapshot, Instant now) {
        CalendarView calendar = snapshot.calendar(c.id());
        StatusTimeline.Outlook line = StatusService.outlook(c, snapshot.live().of(c.id()), calendar, now);
        StatusTimeline.Reading r = line.now();
        // source: override, calendar, holiday or hours; until: when this status ends by itself
        JsonObject o = new JsonObject().put("now", r.status().word()).put("why", r.why()).put("source", r.source());
        if (r.override() != null && r.override().kind() != OverrideKind.SCHEDULE) {
            o.put("note", r.override().note()).put("setBy", r.override().source());
        } else if (r.note() != null) {
            o.put("note", r.note());
        }
        if (r.until() != null && !r.source().equals("hours")) o.put("until", r.until().toString());
        if (calendar.staleSince() != null) o.put("calendarStaleSince", calendar.staleSince().toString());
        if (line.nextAt() != null) o.put("next", line.nextStatus().word()).put("nextAt", line.nextAt().toString());
        return o;
    }

    /** The client's intake fields: what the message form asks for this client, in book order. */
    static JsonArray intakeOf(Client c) {
        JsonArray out = new JsonArray();
        for (IntakeField f : c.intake()) out.add(new JsonObject().put("name", f.name()).put("required", f.required()));
        return out;
    }

    static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
