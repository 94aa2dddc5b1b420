package de.vorzimmer.routing;

/**
 * A call as an adapter sees it, numbers as the network delivered them (not yet normalised).
 *
 * @param to            the dialed number
 * @param from          the caller ID number, possibly empty or a word like {@code anonymous}
 * @param forwardedFrom the redirecting (forwarded-from) number, or null
 * @param restricted    true when the network marks the caller's presentation as restricted
 * @param callerName    the caller name the network sent, or null
 */
public record Call(String to, String from, String forwardedFrom, boolean restricted, String callerName) {
    public Call {
        if (to == null) throw new IllegalArgumentException("to == null");
        from = from == null ? "" : from;
    }

    public static Call of(String to, String from) {
        return new Call(to, from, null, false, null);
    }
}
