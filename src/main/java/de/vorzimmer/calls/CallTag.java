package de.vorzimmer.calls;

/**
 * The log's call tag: every line logged while {@link #MDC_KEY} is set in the SLF4J MDC carries {@code [call ID]}
 * (the Asterisk unique id or the Twilio CallSid), so one call can be followed through the log.
 */
public final class CallTag {
    /** The MDC key of the call id. */
    public static final String MDC_KEY = "callId";
    /** Ids longer than this are cut in the tag (an id comes from the network). */
    public static final int MAX_LENGTH = 64;

    private CallTag() {
    }

    /** {@code id} as the tag shows it: {@code -} for none, cut to {@link #MAX_LENGTH}. */
    public static String of(String id) {
        if (id == null || id.isEmpty()) return "-";
        return id.length() > MAX_LENGTH ? id.substring(0, MAX_LENGTH) : id;
    }
}
