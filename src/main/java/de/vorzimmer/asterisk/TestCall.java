package de.vorzimmer.asterisk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.response.ManagerResponse;

/**
 * A test call on any PBX that has the drop-ins: AMI {@code Originate} of {@code Local/DID@vorzimmer-in} with the
 * caller's number as caller ID and, for a forwarded call, {@code REDIRECTING(from-num)}, exactly as a carrier's call
 * enters the dialplan. The {@code vorzimmer-in} half of the call gets the id {@link Placed#callId()}, so the call log
 * and the console show it under that id. The caller's side, once someone answers, stays silent for the hold time.
 */
public final class TestCall {
    /** Numbers as a trunk delivers them: digits with an optional leading +. */
    static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{2,20}");

    private TestCall() {
    }

    /** A number as people write it ({@code +49 30 123-4567}) as a trunk delivers it ({@code +49301234567}). */
    static String digits(String number) {
        return number == null ? null : number.replaceAll("[\\s\\-/().]", "");
    }

    /** The call as placed: the {@code vorzimmer-in} channel's unique id and what Asterisk answered. */
    public record Placed(String callId, String channel, String response) {
    }

    /**
     * Places the call and returns once Asterisk accepted the Originate (the call then runs on its own).
     *
     * @param to            the dialed number (the DID, the extension in {@code vorzimmer-in})
     * @param from          the caller's number, or {@code anonymous}
     * @param forwardedFrom the client line the call was forwarded from, or null
     * @throws IllegalArgumentException naming the argument that is not a number
     * @throws IOException              when AMI cannot be reached, refuses the login or the call
     */
    public static Placed place(AmiService.Settings ami, String to, String from, String forwardedFrom, int holdSeconds)
            throws IOException {
        Objects.requireNonNull(ami, "ami == null");
        String givenTo = to;
        to = digits(to);
        from = digits(from);
        String givenForwarded = forwardedFrom;
        forwardedFrom = digits(forwardedFrom);
        if (to == null || !NUMBER.matcher(to).matches()) {
            throw new IllegalArgumentException("--to '" + AgiCalls.clip(String.valueOf(givenTo)) + "' is not a number (digits, optional +)");
        }
        boolean anonymous = from == null || from.isBlank() || from.equalsIgnoreCase("anonymous");
        if (!anonymous && !NUMBER.matcher(from).matches()) {
            throw new IllegalArgumentException("--from '" + AgiCalls.clip(from) + "' is not a number (digits, optional +) or anonymous");
        }
        if (forwardedFrom != null && !NUMBER.matcher(forwardedFrom).matches()) {
            throw new IllegalArgumentException("--forwarded-from '" + AgiCalls.clip(givenForwarded) + "' is not a number");
        }
        if (holdSeconds < 1 || holdSeconds > 600) throw new IllegalArgumentException("--hold " + holdSeconds + " is not 1..600 seconds");
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        String base = "vztest-" + stamp;
        String channel = "Local/" + to + "@vorzimmer-in";
        OriginateAction a = new OriginateAction();
        a.setChannel(channel);
        // the caller's half (;1) and the vorzimmer-in half (;2, the call's id): neither id may begin with the other,
        // Asterisk 22 finds an id in use by its prefix and refuses the second half ("Unique ID already in use")
        a.setChannelId("vzcaller-" + stamp);
        a.setOtherChannelId(base);
        a.setApplication("Wait");
        a.setData(Integer.toString(holdSeconds));
        a.setTimeout(60_000L);
        a.setCallerId(anonymous ? "Anonymous <anonymous>" : "\"Vorzimmer test\" <" + from + ">");
        a.setAsync(true);
        Map<String, String> vars = new LinkedHashMap<>();
        if (forwardedFrom != null) {
            vars.put("REDIRECTING(from-num)", forwardedFrom);
            vars.put("REDIRECTING(count)", "1");
            vars.put("REDIRECTING(reason)", "unconditional");
        }
        if (anonymous) vars.put("CALLERID(pres)", "prohib");
        if (!vars.isEmpty()) a.setVariables(vars);
        ManagerConnection c = new ManagerConnectionFactory(ami.host(), ami.port(), ami.user(), ami.secret())
                .createManagerConnection();
        try {
            c.login("off");
        } catch (AuthenticationFailedException e) {
            throw new IOException("AMI " + ami + " refused the login (check ami.user / ami.secret)", e);
        } catch (TimeoutException | IllegalStateException e) {
            throw new IOException("AMI " + ami + ": " + e.getMessage(), e);
        }
        try {
            ManagerResponse r = c.sendAction(a, 10_000);
            if (r == null || !"Success".equalsIgnoreCase(r.getResponse())) {
                throw new IOException("Asterisk refused the Originate of " + channel + ": "
                        + (r == null ? "no answer" : r.getMessage()) + " (the AMI user needs write=originate)");
            }
            return new Placed(base, channel, r.getMessage());
        } catch (TimeoutException | IllegalStateException e) {
            throw new IOException("AMI " + ami + ": " + e.getMessage(), e);
        } finally {
            c.logoff();
        }
    }
}
