package de.vorzimmer.calendar;

import java.io.StringReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtStart;

/**
 * Turns a TZID into a Java zone the way calendar programs do: an IANA name as it is ({@code Europe/Berlin}), one
 * behind a vendor prefix ({@code /mozilla.org/20050126_1/Europe/Berlin}), a Windows name ({@code W. Europe Standard
 * Time}, from Outlook and Exchange), and else the feed's own VTIMEZONE definition, which ical4j turns into zone rules
 * (once per distinct definition: that costs milliseconds and registers a zone id, so the result is kept).
 */
final class TimeZones {
    private static final Set<String> IANA = ZoneId.getAvailableZoneIds();
    /** The Windows zone names Outlook and Exchange write most often (CLDR windowsZones, territory 001). */
    private static final Map<String, String> WINDOWS = Map.ofEntries(
            Map.entry("W. Europe Standard Time", "Europe/Berlin"),
            Map.entry("Romance Standard Time", "Europe/Paris"),
            Map.entry("Central Europe Standard Time", "Europe/Budapest"),
            Map.entry("Central European Standard Time", "Europe/Warsaw"),
            Map.entry("GMT Standard Time", "Europe/London"),
            Map.entry("Greenwich Standard Time", "Atlantic/Reykjavik"),
            Map.entry("GTB Standard Time", "Europe/Bucharest"),
            Map.entry("FLE Standard Time", "Europe/Kiev"),
            Map.entry("E. Europe Standard Time", "Europe/Chisinau"),
            Map.entry("Russian Standard Time", "Europe/Moscow"),
            Map.entry("Turkey Standard Time", "Europe/Istanbul"),
            Map.entry("UTC", "Etc/UTC"),
            Map.entry("Coordinated Universal Time", "Etc/UTC"),
            Map.entry("Eastern Standard Time", "America/New_York"),
            Map.entry("Central Standard Time", "America/Chicago"),
            Map.entry("Mountain Standard Time", "America/Denver"),
            Map.entry("Pacific Standard Time", "America/Los_Angeles"),
            Map.entry("Tokyo Standard Time", "Asia/Tokyo"),
            Map.entry("China Standard Time", "Asia/Shanghai"),
            Map.entry("India Standard Time", "Asia/Calcutta"),
            Map.entry("AUS Eastern Standard Time", "Australia/Sydney"));
    private static final int CACHED_DEFINITIONS = 256;
    private static final Map<String, ZoneId> DEFINED = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ZoneId> eldest) {
                    return size() > CACHED_DEFINITIONS;
                }
            });

    private TimeZones() {
    }

    /**
     * @param definition the feed's VTIMEZONE for this TZID as text, or null
     * @return the zone, or null if neither the name nor a definition tells it
     */
    static ZoneId resolve(String tzid, String definition) {
        String id = tzid.strip();
        if (IANA.contains(id)) return ZoneId.of(id);
        String windows = WINDOWS.get(id);
        if (windows != null) return ZoneId.of(windows);
        // a vendor prefix: the IANA name is the tail of the path
        String[] parts = id.split("/");
        for (int i = 1; i < parts.length - 1; i++) {
            String tail = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
            if (IANA.contains(tail)) return ZoneId.of(tail);
        }
        if (definition == null) return null;
        ZoneId cached = DEFINED.get(definition);
        if (cached != null) return cached;
        ZoneId z = fromDefinition(id, definition);
        if (z != null) DEFINED.put(definition, z);
        return z;
    }

    private static ZoneId fromDefinition(String tzid, String definition) {
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//vorzimmer//zone//EN\r\n" + definition
                + "BEGIN:VEVENT\r\nUID:zone\r\nDTSTAMP:20000101T000000Z\r\nDTSTART;TZID=\"" + tzid
                + "\":20000101T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        try {
            Calendar cal = new CalendarBuilder().build(new StringReader(ics));
            VEvent e = (VEvent) cal.getComponent("VEVENT").orElse(null);
            if (e == null) return null;
            Object d = ((DtStart<?>) e.getProperty("DTSTART").orElseThrow()).getDate();
            return d instanceof ZonedDateTime z ? z.getZone() : null;
        } catch (Exception | Error e) {
            // ical4j fails in many ways on a bad definition; the caller reports the TZID as unknown
            if (e instanceof VirtualMachineError v) throw v;
            return null;
        }
    }

    /** The zone of a TZID parameter that must be known; {@code where} names the property for the error. */
    static ZoneId require(String tzid, Map<String, String> definitions, String where) throws CalendarException {
        ZoneId z;
        try {
            z = resolve(tzid, definitions.get(tzid));
        } catch (DateTimeException e) {
            z = null;
        }
        if (z == null) {
            throw new CalendarException(where + ": unknown time zone TZID=" + tzid
                    + " (neither an IANA name nor defined by a VTIMEZONE in the feed)");
        }
        return z;
    }
}
