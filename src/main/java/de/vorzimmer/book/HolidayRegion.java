package de.vorzimmer.book;

import de.focus_shift.jollyday.core.CalendarHierarchy;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The region whose public holidays a client keeps, as an ISO 3166-1 country ({@code AT}) or ISO 3166-2 subdivision
 * ({@code DE-BY}, {@code GB-ENG}, {@code AT-9}); jollyday's finer levels may follow ({@code DE-BY-AG}: Augsburg).
 * The ISO codes are jollyday's own hierarchy ids, upper-cased: {@code DE-BY} is Germany's {@code by}.
 *
 * @param code upper case, e.g. {@code DE-BY}
 */
public record HolidayRegion(String code) {
    private static final Pattern CODE = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3}){0,3}");
    private static final Map<String, HolidayManager> MANAGERS = new ConcurrentHashMap<>();

    public HolidayRegion {
        Objects.requireNonNull(code, "code == null");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("'" + code + "' is not a region code such as DE, DE-BY or GB-ENG");
        }
    }

    /** The lower-case ISO 3166-1 country code, jollyday's calendar. */
    public String country() {
        int dash = code.indexOf('-');
        return (dash < 0 ? code : code.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    /** jollyday's hierarchy path below the country, e.g. {@code ["by"]} for DE-BY; empty for a whole country. */
    public String[] subdivisions() {
        String[] parts = code.toLowerCase(Locale.ROOT).split("-");
        String[] out = new String[parts.length - 1];
        System.arraycopy(parts, 1, out, 0, out.length);
        return out;
    }

    /** jollyday's holiday manager for the country (loaded once per country). */
    public HolidayManager manager() {
        return manager(country());
    }

    private static HolidayManager manager(String country) {
        return MANAGERS.computeIfAbsent(country, c -> HolidayManager.getInstance(ManagerParameters.create(c)));
    }

    /**
     * Reads a region as written in a book ({@code de-by} too), checked against jollyday's calendars.
     *
     * @throws IllegalArgumentException naming what is unknown and what would be known
     */
    public static HolidayRegion parse(String text) {
        Objects.requireNonNull(text, "region == null");
        HolidayRegion r = new HolidayRegion(text.strip().toUpperCase(Locale.ROOT));
        if (!supportedCountries().contains(r.country().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("no public holidays known for country " + r.country().toUpperCase(Locale.ROOT));
        }
        CalendarHierarchy level = manager(r.country()).getCalendarHierarchy();
        String prefix = r.country().toUpperCase(Locale.ROOT);
        for (String sub : r.subdivisions()) {
            CalendarHierarchy next = level.getChildren().get(sub);
            if (next == null) {
                List<String> known = new ArrayList<>();
                for (String k : new TreeSet<>(level.getChildren().keySet())) known.add(prefix + "-" + k.toUpperCase(Locale.ROOT));
                throw new IllegalArgumentException("no subdivision " + prefix + "-" + sub.toUpperCase(Locale.ROOT)
                        + (known.isEmpty() ? " (" + prefix + " has none)" : "; known: " + String.join(", ", known)));
            }
            level = next;
            prefix = prefix + "-" + sub.toUpperCase(Locale.ROOT);
        }
        return r;
    }

    private static Set<String> supportedCountries() {
        return HolidayManager.getSupportedCalendarCodes();
    }

    @Override
    public String toString() {
        return code;
    }
}
