package de.vorzimmer.asterisk;

import de.vorzimmer.book.Action;
import de.vorzimmer.routing.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns decision targets into Asterisk dial strings. Secretary endpoints are dial strings already
 * ({@code PJSIP/anna}); a client's reach is an E.164 number put into the operator's template, by default
 * {@code Local/{number}@vorzimmer-reach}, a context that sends it out through the trunk.
 */
public final class DialStrings {
    private static final String NUMBER = "{number}";
    private final String reachTemplate;
    /** The template split at its first {@code {number}}; further ones are filled in by {@link #reach}. */
    private final String before;
    private final String after;
    private final boolean once;

    public DialStrings(String reachTemplate) {
        this.reachTemplate = Objects.requireNonNull(reachTemplate, "reachTemplate == null");
        int at = reachTemplate.indexOf(NUMBER);
        if (at < 0) {
            throw new IllegalArgumentException("reach dial template '" + reachTemplate + "' has no {number}");
        }
        this.before = reachTemplate.substring(0, at);
        this.after = reachTemplate.substring(at + NUMBER.length());
        this.once = !after.contains(NUMBER);
    }

    public List<String> targets(Decision d) {
        if (d.action() == Action.PUT_THROUGH) {
            List<String> out = new ArrayList<>(d.target().size());
            for (String number : d.target()) out.add(reach(number));
            return out;
        }
        return secretaries(d.target());
    }

    /** The dial string for a client's mobile, an E.164 number. */
    public String reach(String e164) {
        return once ? before + e164 + after : reachTemplate.replace(NUMBER, e164);
    }

    /** Only Asterisk-style endpoints ({@code TECH/resource}); Twilio-only endpoints are skipped. */
    public List<String> secretaries(List<String> endpoints) {
        List<String> out = new ArrayList<>(endpoints.size());
        for (String e : endpoints) {
            if (e.indexOf('/') > 0 && !e.startsWith("sip:") && !e.startsWith("client:")) out.add(e);
        }
        return out;
    }
}
