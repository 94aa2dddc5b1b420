package de.vorzimmer.book;


import java.time.DayOfWeek;
import java.util.Locale;

/** A set of weekdays, written as in the book: {@code mon-fri}, {@code "tue,thu"}, {@code sat-sun}. */
public final class DaySet {
    private static final String[] NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private final int mask;
    private final String text;

    private DaySet(int mask, String text) {
        this.mask = mask;
        this.text = text;
    }

    public static DaySet of(int mask) {
        if (mask <= 0 || mask > 0x7f) throw new IllegalArgumentException("day mask " + mask + " out of range");
        return new DaySet(mask, format(mask));
    }

    /**
     * Parses {@code mon}..{@code sun}, ranges ({@code mon-fri}, wrapping {@code fri-mon}) and comma lists.
     *
     * @throws IllegalArgumentException naming the part that is not a day
     */
    public static DaySet parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("days are empty");
        int mask = 0;
        for (String part : spec.toLowerCase(Locale.ROOT).split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash < 0) {
                mask |= 1 << index(p, spec);
            } else {
                int a = index(p.substring(0, dash).trim(), spec);
                int b = index(p.substring(dash + 1).trim(), spec);
                for (int i = a; ; i = (i + 1) % 7) {
                    mask |= 1 << i;
                    if (i == b) break;
                }
            }
        }
        return new DaySet(mask, format(mask));
    }

    private static int index(String name, String spec) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        throw new IllegalArgumentException("'" + name + "' in '" + spec + "' is not a day (mon..sun)");
    }

    public boolean contains(DayOfWeek day) {
        return (mask & (1 << (day.getValue() - 1))) != 0;
    }

    public int mask() {
        return mask;
    }

    private static String format(int mask) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < 7) {
            if ((mask & (1 << i)) == 0) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < 7 && (mask & (1 << (j + 1))) != 0) j++;
            if (sb.length() > 0) sb.append(',');
            sb.append(NAMES[i]);
            if (j > i) sb.append(j == i + 1 ? "," : "-").append(NAMES[j]);
            i = j + 1;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DaySet d && d.mask == mask;
    }

    @Override
    public int hashCode() {
        return mask;
    }

    @Override
    public String toString() {
        return text;
    }
}
