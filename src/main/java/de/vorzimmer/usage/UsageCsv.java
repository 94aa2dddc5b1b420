package de.vorzimmer.usage;

import java.util.Locale;

/**
 * The usage report as CSV (RFC 4180, comma-separated, CRLF line ends, a header line): one line per client.
 * Secretary minutes are written with a decimal point ({@code 1.5}); a text that a spreadsheet would take for a
 * formula ({@code =}, {@code +}, {@code -}, {@code @} first) is prefixed with {@code '}.
 */
public final class UsageCsv {
    public static final String HEADER = "month,client,name,calls,secretary_calls,secretary_seconds,secretary_minutes,"
            + "step_seconds,put_throughs,messages,urgent_notifications";

    private UsageCsv() {
    }

    public static String write(UsageReport r) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        long step = r.step().toSeconds();
        for (ClientUsage u : r.clients()) {
            sb.append(r.month()).append(',').append(field(u.client())).append(',').append(field(u.name())).append(',')
                    .append(u.calls()).append(',').append(u.secretaryCalls()).append(',').append(u.secretarySeconds())
                    .append(',').append(minutes(u.secretarySeconds())).append(',').append(step).append(',')
                    .append(u.putThroughs()).append(',').append(u.messages()).append(',')
                    .append(u.urgentNotifications()).append("\r\n");
        }
        return sb.toString();
    }

    /** Seconds as minutes with up to two decimals and no trailing zeros: 90 -> 1.5, 60 -> 1. */
    static String minutes(long seconds) {
        String s = String.format(Locale.ROOT, "%.2f", seconds / 60.0);
        return s.replaceAll("\\.?0+$", "");
    }

    static String field(String s) {
        String t = s;
        if (!t.isEmpty() && "=+-@\t\r".indexOf(t.charAt(0)) >= 0) t = "'" + t;
        if (t.indexOf(',') >= 0 || t.indexOf('"') >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0 || !t.equals(s)) {
            return '"' + t.replace("\"", "\"\"") + '"';
        }
        return t;
    }
}
