package de.vorzimmer.routing;

import de.vorzimmer.book.Action;
import java.util.List;

/**
 * Writes a {@link Decision} as the design's decision JSON, fields in the documented order. Hand-written
 * so the routing core stays free of framework types; strings are escaped per RFC 8259.
 */
public final class DecisionJson {
    private DecisionJson() {
    }

    public static String write(Decision d) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"client\":");
        string(sb, d.client());
        sb.append(",\"line\":");
        string(sb, d.line());
        sb.append(",\"caller\":{\"number\":");
        string(sb, d.caller().number());
        sb.append(",\"class\":");
        string(sb, d.caller().callerClass().word());
        sb.append(",\"contact\":");
        string(sb, d.caller().contact());
        sb.append("},\"status\":");
        string(sb, d.status() == null ? null : d.status().word());
        sb.append(",\"action\":");
        string(sb, d.action().word());
        sb.append(",\"target\":");
        strings(sb, d.target());
        sb.append(",\"urgent\":").append(d.urgent());
        sb.append(",\"then\":[");
        List<Action> then = d.then();
        for (int i = 0; i < then.size(); i++) {
            if (i > 0) sb.append(',');
            string(sb, then.get(i).word());
        }
        sb.append("],\"display\":");
        string(sb, d.display());
        sb.append(",\"greeting\":");
        string(sb, d.greeting());
        sb.append(",\"why\":");
        strings(sb, d.why());
        return sb.append('}').toString();
    }

    private static void strings(StringBuilder sb, List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            string(sb, values.get(i));
        }
        sb.append(']');
    }

    /** Appends {@code s} as a JSON string ({@code null} for null), escaped per RFC 8259. */
    public static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        int plain = 0; // start of the run of characters that need no escape, appended in one go
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            sb.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append(s, plain, s.length());
        sb.append('"');
    }
}
