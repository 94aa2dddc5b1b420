package de.vorzimmer.calls;

import java.util.regex.Pattern;

/**
 * Where a secretary's choice on a ringing call (put through, message, voicemail) goes on the event bus: to the PBX
 * adapter that owns the call, picked by the form of the call id. A request reaches one consumer of an address
 * (round-robin, in a cluster across nodes), so Asterisk and Twilio each have an address of their own and every call
 * id reaches the adapter that knows the call. The adapter replies once it redirected the call.
 */
public final class CallChoices {
    /** Choices for Asterisk calls (unique ids such as {@code 1764316800.42}). */
    public static final String ASTERISK_ADDRESS = "vorzimmer.calls.choice";
    /** Choices for Twilio calls (CallSids). */
    public static final String TWILIO_ADDRESS = ASTERISK_ADDRESS + ".twilio";

    /**
     * The failure code an adapter answers with when no node can carry a choice out now (an Asterisk call while no node
     * holds the PBX's lease, {@code cluster.HolderRequests.NO_HOLDER}); the console answers {@code 503}.
     */
    public static final int UNAVAILABLE = 503;

    /** Twilio's CallSid: "CA" and 32 hex digits. */
    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");

    private CallChoices() {
    }

    /**
     * True if {@code id} has the form of a Twilio CallSid. Asterisk's unique ids ({@code 1764316800.42}, optionally
     * after a system name) always hold a dot, so they never do.
     */
    public static boolean isCallSid(String id) {
        return id != null && CALL_SID.matcher(id).matches();
    }

    /** The owning adapter's address for a call id: Twilio's for a CallSid, else Asterisk's. */
    public static String addressFor(String callId) {
        return isCallSid(callId) ? TWILIO_ADDRESS : ASTERISK_ADDRESS;
    }
}
