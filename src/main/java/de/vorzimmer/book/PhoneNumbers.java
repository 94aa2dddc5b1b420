package de.vorzimmer.book;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Set;

/**
 * Reads phone numbers the way people and PBXs write them and turns them into E.164, always through
 * libphonenumber. National numbers are read with a region (ISO 3166 code such as {@code DE}).
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /**
     * The one list of what networks put in place of a withheld caller ID, for every adapter: the words, and the same
     * words as Twilio spells them on a phone keypad as a pseudo number (ANONYMOUS = +266696687, UNAVAILABLE =
     * +86282452253, RESTRICTED = +7378742833, BLOCKED = +2562533, UNKNOWN = +8656696, PRIVATE = +7748283; none of
     * them is a possible number of its country code).
     */
    private static final Set<String> WITHHELD = Set.of("", "anonymous", "restricted", "unknown", "unavailable",
            "private", "blocked", "withheld", "+266696687", "266696687", "+86282452253", "86282452253", "+7378742833",
            "7378742833", "+2562533", "2562533", "+8656696", "8656696", "+7748283", "7748283");

    private static final String PATTERN_PAD = "5555555";

    private PhoneNumbers() {
    }

    /** Thrown when a number cannot be read; the message says why. */
    public static final class UnreadableNumberException extends IllegalArgumentException {
        public UnreadableNumberException(String message) {
            super(message);
        }
    }

    public static boolean isSupportedRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    /**
     * A full number in E.164, e.g. {@code "030 1234567"} with region DE gives {@code +49301234567}.
     *
     * @throws UnreadableNumberException if libphonenumber cannot read it or it is not a possible number
     */
    public static String toE164(String text, String region) {
        PhoneNumber n = parse(text, region);
        if (!UTIL.isPossibleNumber(n)) {
            throw new UnreadableNumberException("'" + text + "' is not a possible phone number for region " + region);
        }
        return UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /**
     * A number or a prefix pattern ending in {@code *}, e.g. {@code "+49 900*"} gives prefix {@code +49900}.
     * A prefix is read like the beginning of a number, so {@code "0180*"} with region DE gives {@code +49180}.
     */
    public static NumberPattern toPattern(String text, String region) {
        if (text == null) throw new UnreadableNumberException("number is missing");
        String t = text.trim();
        if (t.endsWith("*")) {
            String head = t.substring(0, t.length() - 1).trim();
            String padded = prefixByPadding(head, region);
            if (padded != null) return new NumberPattern(padded, true);
            PhoneNumber n = parse(head, region);
            return new NumberPattern(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164), true);
        }
        return NumberPattern.exact(toE164(t, region));
    }

    /**
     * Best-effort form of a caller or dialed number arriving from a PBX or carrier: E.164 when it can be
     * read, otherwise the digits as given (never throws; a caller ID is not ours to reject).
     * Already-E.164 input is returned as is without a parse, which keeps the routing path cheap.
     */
    public static String normalizeIncoming(String text, String region) {
        if (text == null) return "";
        String t = text.trim();
        if (isE164(t)) return t;
        try {
            PhoneNumber n = UTIL.parse(t, region);
            return UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return t;
        }
    }

    /** True for an empty caller ID or one of the words (or pseudo numbers) networks use for a withheld number. */
    public static boolean looksAnonymous(String callerId) {
        return callerId == null || WITHHELD.contains(callerId.strip().toLowerCase(Locale.ROOT));
    }

    static boolean isE164(String t) {
        int len = t.length();
        if (len < 3 || len > 16 || t.charAt(0) != '+' || t.charAt(1) == '0') return false;
        for (int i = 1; i < len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /**
     * libphonenumber keeps the national prefix of a string too short to be a number ("0180" stays +490180), so
     * the prefix is read as the start of a full-length number and the padding cut off again: "0180" + PAD gives
     * +49180 + PAD. Null when that does not work out (too long, or the digits were rearranged).
     */
    private static String prefixByPadding(String head, String region) {
        // Only plain digits and punctuation: letters would be read as a vanity number once padded.
        if (head.isEmpty() || !head.matches("[+0-9 ()./-]+")) return null;
        try {
            PhoneNumber n = UTIL.parse(head + PATTERN_PAD, region);
            String e164 = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
            if (!e164.endsWith(PATTERN_PAD) || e164.length() - PATTERN_PAD.length() < 2) return null;
            return e164.substring(0, e164.length() - PATTERN_PAD.length());
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static PhoneNumber parse(String text, String region) {
        if (text == null || text.isBlank()) throw new UnreadableNumberException("number is empty");
        try {
            return UTIL.parse(text.trim(), region);
        } catch (NumberParseException e) {
            throw new UnreadableNumberException("'" + text + "' cannot be read as a phone number: " + e.getMessage());
        }
    }
}
