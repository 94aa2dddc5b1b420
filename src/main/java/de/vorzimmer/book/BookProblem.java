package de.vorzimmer.book;


import java.util.Objects;

/**
 * One thing wrong with a client book, precise enough to fix without reading the loader.
 *
 * @param where what it belongs to: {@code book}, {@code defaults}, {@code client 'mueller'}, {@code secretary 'anna'}
 * @param field the path inside it, e.g. {@code hours[1].from}, {@code rules[2].if.contact}; empty for the whole
 * @param value the offending value as written, or null when it is missing or not a single value
 * @param why   what is wrong or what was expected
 * @param code  what kind of problem it is, stable for the console to word in its language ({@code time-invalid},
 *              {@code key-unknown}, ...; {@link #INVALID} when none more precise)
 * @param line  the line of the book it is on (1-based; for a problem of a whole client or secretary, the line it
 *              starts on), or 0 when unknown
 */
public record BookProblem(String where, String field, String value, String why, String code, int line) {
    /** The code of a problem that has none more precise. */
    public static final String INVALID = "invalid";

    public BookProblem {
        Objects.requireNonNull(where, "where == null");
        Objects.requireNonNull(why, "why == null");
        field = field == null ? "" : field;
        code = code == null ? INVALID : code;
        if (line < 0) throw new IllegalArgumentException("line " + line + " < 0");
    }

    /** A problem without a code or line of its own. */
    public BookProblem(String where, String field, String value, String why) {
        this(where, field, value, why, INVALID, 0);
    }

    /** One line: {@code client 'mueller': hours[1].from = '25:00': not a time HH:MM}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append(where);
        if (!field.isEmpty()) {
            sb.append(": ").append(field);
            if (value != null) sb.append(" = '").append(oneLine(value)).append('\'');
        } else if (value != null) {
            sb.append(": '").append(oneLine(value)).append('\'');
        }
        return sb.append(": ").append(why).toString();
    }

    private static String oneLine(String s) {
        String t = s.replace("\r", "\\r").replace("\n", "\\n");
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }
}
