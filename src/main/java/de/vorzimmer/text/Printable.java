package de.vorzimmer.text;

/**
 * Text from outside (a caller's name, a typed note, a SIP header, a request parameter) made safe to put on one line
 * of a terminal or a log: control characters (C0, DEL, C1) and the Unicode characters that reorder or hide text
 * (bidi overrides, line and paragraph separators) are written as visible escapes ({@code \n}, {@code \u001b}), so a
 * value can neither forge a log line nor send escape sequences to an operator's terminal. Text without them is
 * returned as it is, without copying.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code s} with every unsafe character escaped; null stays null. */
    public static String line(String s) {
        if (s == null) return null;
        int i = 0;
        int n = s.length();
        while (i < n && !unsafe(s.charAt(i))) i++;
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** {@link #line} of {@code s}, cut to {@code max} characters (then ending in {@code ...}). */
    public static String clip(String s, int max) {
        if (s == null) return null;
        String safe = line(s);
        return safe.length() <= max ? safe : safe.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** True for a character that must not reach a terminal or a log line as it is. */
    static boolean unsafe(char c) {
        return c < 0x20 || c >= 0x7f && c < 0xa0
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 // bidi embeddings, overrides, isolates
                || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f; // line/paragraph separators, marks
    }
}
