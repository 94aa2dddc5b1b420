package de.vorzimmer.asterisk;


import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asterisk-Java's status variable {@code AJ_AGISTATUS}: its FastAGI server, which routed calls before the event-loop
 * server, set it to {@code SUCCESS} after every script that ended normally, and a dialplan written against it may
 * read it. The {@code route} script keeps setting it, inside the one {@code MSet} that hands the decision over (no
 * extra round trip), so the channel ends with the same variables as before. Asterisk's own {@code AGISTATUS} is what
 * the shipped dialplan reads.
 */
public final class AgiStatus {
    public static final String VARIABLE = "AJ_AGISTATUS";
    public static final String SUCCESS = "SUCCESS";

    private AgiStatus() {
    }

    /**
     * {@code variables} with {@code AJ_AGISTATUS=SUCCESS} inserted before the last entry, so the entry that
     * completes the decision ({@code VZ_ACTION}) stays last.
     */
    public static Map<String, String> withSuccess(Map<String, String> variables) {
        Map<String, String> out = new LinkedHashMap<>(variables.size() * 2 + 2);
        Iterator<Map.Entry<String, String>> it = variables.entrySet().iterator();
        int left = variables.size();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            if (--left == 0) out.put(VARIABLE, SUCCESS);
            out.put(e.getKey(), e.getValue());
        }
        if (variables.isEmpty()) out.put(VARIABLE, SUCCESS);
        return out;
    }
}
