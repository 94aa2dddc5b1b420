package de.vorzimmer.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayType;
import de.vorzimmer.book.HolidayRegion;
import java.time.LocalDate;
import java.time.Year;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public holidays of a region (jollyday), by local date, named in the client's language where jollyday has
 * the name. A year is worked out once per region and language and kept: the answer is the same every time.
 * Observances (days of note that are no day off) do not count; public and bank holidays do.
 */
public final class PublicHolidays {
    private static final Map<String, Map<LocalDate, String>> YEARS = new ConcurrentHashMap<>();

    private PublicHolidays() {
    }

    /** The holidays of one year, by date (unmodifiable, sorted). */
    public static Map<LocalDate, String> year(HolidayRegion region, int year, String language) {
        Objects.requireNonNull(region, "region == null");
        String key = region.code() + ":" + year + ":" + language;
        return YEARS.computeIfAbsent(key, k -> {
            Locale locale = language == null ? Locale.ENGLISH : Locale.forLanguageTag(language);
            Map<LocalDate, String> out = new TreeMap<>();
            for (Holiday h : region.manager().getHolidays(Year.of(year), region.subdivisions())) {
                if (h.getType() == HolidayType.OBSERVANCE) continue;
                LocalDate day = h.getActualDate();
                out.merge(day, h.getDescription(locale), (a, b) -> a.equals(b) ? a : a + " / " + b);
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** The holidays from {@code first} to {@code last} (inclusive), by date. */
    public static Map<LocalDate, String> between(HolidayRegion region, LocalDate first, LocalDate last, String language) {
        Map<LocalDate, String> out = new HashMap<>();
        for (int y = first.getYear(); y <= last.getYear(); y++) {
            year(region, y, language).forEach((d, name) -> {
                if (!d.isBefore(first) && !d.isAfter(last)) out.put(d, name);
            });
        }
        return Map.copyOf(out);
    }
}
