package de.vorzimmer.notify;

/**
 * How long a text is as an SMS: GSM 03.38 (7-bit default alphabet, 160 septets in one segment, 153 per part of a
 * longer message; characters of the extension table such as {@code € [ ] { } ~ ^ \ |} take two septets) or, when
 * any character is outside both tables, UCS-2 (70 UTF-16 units in one segment, 67 per part).
 *
 * <p>German needs no UCS-2: ä ö ü Ä Ö Ü and ß are in the basic table. Not in it are, among others, á â ê ë ô ç
 * (only capital Ç is), typographic quotes and dashes, and the ellipsis; {@link #fold} replaces the common
 * typographic ones by their ASCII look-alikes so a pasted text does not force UCS-2.
 */
public final class Gsm7 {
    public static final int SINGLE_SEPTETS = 160;
    public static final int PART_SEPTETS = 153;
    public static final int SINGLE_UCS2 = 70;
    public static final int PART_UCS2 = 67;

    /** The basic table, in code order 0x00..0x7F (0x1B is the escape to the extension table). */
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: each costs the escape plus itself. */
    private static final String EXTENSION = "\f^{}\\[~]|€";

    static {
        if (BASIC.length() != 128) throw new AssertionError("GSM 03.38 basic table has " + BASIC.length() + " entries");
    }

    private Gsm7() {
    }

    /** Septets {@code c} takes in GSM-7: 1, 2 (extension table), or -1 when it needs UCS-2. */
    public static int septets(char c) {
        if (c == '\u001B') return -1;
        if (BASIC.indexOf(c) >= 0) return 1;
        if (EXTENSION.indexOf(c) >= 0) return 2;
        return -1;
    }

    public static boolean isGsm7(CharSequence text) {
        for (int i = 0; i < text.length(); i++) if (septets(text.charAt(i)) < 0) return false;
        return true;
    }

    /** Septets of {@code text} in GSM-7, or -1 if it needs UCS-2. */
    public static int septetLength(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int s = septets(text.charAt(i));
            if (s < 0) return -1;
            n += s;
        }
        return n;
    }

    /** How many SMS segments {@code text} takes. */
    public static int segments(CharSequence text) {
        int septets = septetLength(text);
        if (septets >= 0) return septets <= SINGLE_SEPTETS ? 1 : (septets + PART_SEPTETS - 1) / PART_SEPTETS;
        int units = text.length();
        return units <= SINGLE_UCS2 ? 1 : (units + PART_UCS2 - 1) / PART_UCS2;
    }

    /** True if {@code text} fits one segment. */
    public static boolean fitsOneSegment(CharSequence text) {
        return segments(text) == 1;
    }

    /** Replaces typographic characters that have a GSM-7 look-alike (quotes, dashes, ellipsis, odd spaces). */
    public static String fold(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\u2018', '\u2019', '\u201A', '\u2032', '`', '\u00B4' -> sb.append('\'');
                case '\u201C', '\u201D', '\u201E', '\u00AB', '\u00BB' -> sb.append('"');
                case '\u2013', '\u2014', '\u2212', '\u2010', '\u2011' -> sb.append('-');
                case '\u2026' -> sb.append("...");
                case '\u00A0', '\u2009', '\u202F', '\t' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
