package de.vorzimmer.asterisk;

import de.vorzimmer.routing.Call;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an AGI environment (the {@code agi_*} block Asterisk sends first, keys without the prefix as
 * Asterisk-Java's {@code AgiRequest.getRequest()} gives them) into a {@link Call}.
 * The redirecting number comes as the script's first argument ({@code AGI(agi://host/route,${REDIRECTING(from-num)})}),
 * else from {@code agi_rdnis}. Anything malformed is rejected with the field named, so the dialplan falls back.
 */
public final class AgiCalls {
    /** Longest value we accept in one field; real ones are far shorter. */
    static final int MAX_FIELD = 256;

    private AgiCalls() {
    }

    /** Compiled once: this runs on every routed call. */
    private static final Pattern DIALED = Pattern.compile("\\+?[0-9*#]{1,32}");

    public static Call toCall(Map<String, String> env, String[] arguments) {
        String extension = required(env, "extension");
        require(env, "uniqueid");
        require(env, "channel");
        if (!DIALED.matcher(extension).matches()) {
            throw new AgiInputException("agi_extension '" + clip(extension) + "' is not a dialed number");
        }
        String from = optional(env, "callerid");
        String name = optional(env, "calleridname");
        String forwarded = arguments != null && arguments.length > 0 ? checked("argument 1", arguments[0]) : null;
        if (forwarded == null || forwarded.isBlank()) forwarded = optional(env, "rdnis");
        if (forwarded != null && (forwarded.isBlank() || "unknown".equalsIgnoreCase(forwarded))) forwarded = null;
        boolean restricted = restricted(optional(env, "callingpres"));
        return new Call(extension, from == null ? "" : from, forwarded, restricted, name);
    }

    /** Presentation restricted per Q.931: bits 6-7 of the calling presentation equal 01. */
    static boolean restricted(String callingPres) {
        if (callingPres == null || callingPres.isBlank()) return false;
        try {
            int pres = Integer.parseInt(callingPres.trim());
            if (pres < 0 || pres > 255) throw new AgiInputException("agi_callingpres '" + callingPres + "' out of range");
            return (pres & 0x60) == 0x20;
        } catch (NumberFormatException e) {
            throw new AgiInputException("agi_callingpres '" + clip(callingPres) + "' is not a number");
        }
    }

    private static void require(Map<String, String> env, String key) {
        required(env, key);
    }

    private static String required(Map<String, String> env, String key) {
        String v = optional(env, key);
        if (v == null || v.isBlank()) throw new AgiInputException("missing agi_" + key + " in the AGI environment");
        return v;
    }

    /** Keys as Asterisk-Java hands them over, without the {@code agi_} prefix. */
    private static String optional(Map<String, String> env, String key) {
        return checked("agi_" + key, env.get(key));
    }

    private static String checked(String key, String value) {
        if (value == null) return null;
        if (value.length() > MAX_FIELD) {
            throw new AgiInputException(key + " is " + value.length() + " characters, more than " + MAX_FIELD);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new AgiInputException(key + " contains control characters");
            }
        }
        return value.trim();
    }

    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
