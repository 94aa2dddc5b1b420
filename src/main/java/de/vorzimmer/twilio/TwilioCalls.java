package de.vorzimmer.twilio;

import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.routing.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Translates Twilio's call parameters into a routing {@link Call}, and decision endpoints into Twilio ones. */
public final class TwilioCalls {
    /** Twilio's CallSid: "CA" and 32 hex digits. */
    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");

    private TwilioCalls() {
    }

    /** The call as the routing core wants it, from an incoming-call webhook ({@code From}, {@code To}, ...). */
    public static Call toCall(TwilioParams p) {
        String to = p.required("To");
        String from = p.present("From");
        boolean anonymous = isAnonymous(from);
        return new Call(to, anonymous ? "" : from.strip(), p.optional("ForwardedFrom"), anonymous,
                p.optional("CallerName"));
    }

    /** What Twilio puts in {@code From} for a withheld caller ID: the words and keypad pseudo numbers of the one list. */
    public static boolean isAnonymous(String from) {
        return PhoneNumbers.looksAnonymous(from);
    }

    /** A secretary endpoint Twilio can dial. */
    public sealed interface Endpoint permits ClientEndpoint, SipEndpoint {
    }

    /** A Twilio Voice SDK client, {@code client:NAME} in the book. */
    public record ClientEndpoint(String identity) implements Endpoint {
    }

    /** A SIP URI, {@code sip:anna@example.sip.twilio.com} in the book. */
    public record SipEndpoint(String uri) implements Endpoint {
    }

    /** The endpoints Twilio can reach; Asterisk dial strings ({@code PJSIP/anna}) are skipped. */
    public static List<Endpoint> endpoints(List<String> targets) {
        List<Endpoint> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            Endpoint e = endpoint(t);
            if (e != null) out.add(e);
        }
        return out;
    }

    /**
     * The targets Twilio can reach, spelled as in the book ({@code client:anna}, {@code sip:ben@...}): what the
     * call state names as rung, so the console matches them to the secretaries' book endpoints.
     */
    public static List<String> dialable(List<String> targets) {
        List<String> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            if (endpoint(t) != null) out.add(t.strip());
        }
        return List.copyOf(out);
    }

    private static Endpoint endpoint(String target) {
        String s = target.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("client:") && s.length() > "client:".length()) {
            return new ClientEndpoint(s.substring("client:".length()));
        }
        if ((lower.startsWith("sip:") || lower.startsWith("sips:")) && s.indexOf('@') > 0) return new SipEndpoint(s);
        return null;
    }
}
