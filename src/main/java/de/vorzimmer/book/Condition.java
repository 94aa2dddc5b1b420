package de.vorzimmer.book;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code if} of a rule; every field that is set must hold. A null field is not tested.
 *
 * @param contact   a contact name of the same client
 * @param available true: status is available; false: it is not
 * @param line      one of the client's lines, E.164
 */
public record Condition(CallerClass caller, String contact, NumberPattern number, Boolean available,
                        Status status, Window time, String line) {
    public static final Condition ALWAYS = new Condition(null, null, null, null, null, null, null);

    /** The book form of the condition, used in {@code why} lines: {@code caller anonymous, available false}. */
    public String describe() {
        List<String> parts = new ArrayList<>(7);
        if (caller != null) parts.add("caller " + caller.word());
        if (contact != null) parts.add("contact '" + contact + "'");
        if (number != null) parts.add("number " + number);
        if (available != null) parts.add("available " + available);
        if (status != null) parts.add("status " + status.word());
        if (time != null) parts.add("time " + time);
        if (line != null) parts.add("line " + line);
        return parts.isEmpty() ? "always" : String.join(", ", parts);
    }
}
