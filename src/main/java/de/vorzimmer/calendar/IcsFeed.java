package de.vorzimmer.calendar;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An iCalendar text as far as availability needs it: its events with their raw properties (values still as
 * written, parameters by upper-case name) and the line each starts on, and the feed's own time zone definitions.
 * Made by {@link IcsParser}; read by {@link Expansion}.
 *
 * @param timezones VTIMEZONE components by TZID, as text (used only for a TZID Java does not know)
 */
public record IcsFeed(List<Event> events, Map<String, String> timezones) {
    public IcsFeed {
        events = List.copyOf(events);
        timezones = Map.copyOf(timezones);
    }

    /** One property: {@code DTSTART;TZID=Europe/Berlin:20261102T100000} on line {@code line}. */
    public record Property(String name, Map<String, String> params, String value, int line) {
        public Property {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(value, "value == null");
            params = Map.copyOf(params);
        }

        public String param(String key) {
            return params.get(key);
        }

        @Override
        public String toString() {
            return name + " '" + value + "' (line " + line + ")";
        }
    }

    /**
     * One VEVENT. Single-valued properties hold the first occurrence; list properties every one.
     *
     * @param line the line of its {@code BEGIN:VEVENT}
     */
    public record Event(int line, String uid, String summary, String status, String transp, String classification,
                        Property start, Property end, Property duration, Property recurrenceId,
                        List<Property> rrules, List<Property> exdates, List<Property> rdates) {
        public Event {
            rrules = List.copyOf(rrules);
            exdates = List.copyOf(exdates);
            rdates = List.copyOf(rdates);
        }

        /** How the admin finds it: {@code VEVENT 'Besprechung' (line 12)}. */
        public String describe() {
            return "VEVENT" + (summary == null ? "" : " '" + summary + "'") + " (line " + line + ")";
        }
    }
}
