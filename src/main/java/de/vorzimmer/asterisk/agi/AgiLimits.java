package de.vorzimmer.asterisk.agi;

import java.time.Duration;
import java.util.Objects;

/**
 * What the FastAGI server accepts from a peer before it closes the connection (the channel then gets
 * {@code AGISTATUS=FAILURE} and the dialplan's fallback). A real AGI environment is about 30 lines of well under
 * 200 bytes, written within a millisecond; Asterisk answers a command that plays nothing at once.
 *
 * @param maxLine        longest line accepted, in bytes without the newline
 * @param maxRequest     most bytes of one AGI environment
 * @param requestTimeout the whole environment must have arrived this long after the connection opened, and a command
 *                       that plays nothing ({@link AgiCall#send}) must be answered within it
 * @param commandTimeout how long a command that plays to the caller or waits for keys ({@link AgiCall#play}) may take
 */
public record AgiLimits(int maxLine, int maxRequest, Duration requestTimeout, Duration commandTimeout) {
    public static final int MAX_LINE = 4 * 1024;
    public static final int MAX_REQUEST = 64 * 1024;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A phone-in prompt or message plays until its end: a recorded message lasts up to two minutes. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    public AgiLimits {
        if (maxLine < 80) throw new IllegalArgumentException("maxLine " + maxLine + " < 80");
        if (maxRequest < maxLine) throw new IllegalArgumentException("maxRequest " + maxRequest + " < maxLine " + maxLine);
        Objects.requireNonNull(requestTimeout, "requestTimeout == null");
        Objects.requireNonNull(commandTimeout, "commandTimeout == null");
        if (requestTimeout.toMillis() < 1) throw new IllegalArgumentException("requestTimeout " + requestTimeout + " < 1 ms");
        if (commandTimeout.toMillis() < 1) throw new IllegalArgumentException("commandTimeout " + commandTimeout + " < 1 ms");
    }

    public static AgiLimits defaults() {
        return new AgiLimits(MAX_LINE, MAX_REQUEST, REQUEST_TIMEOUT, COMMAND_TIMEOUT);
    }

    /** These limits with other time-outs (the sizes stay). */
    public AgiLimits withTimeouts(Duration request, Duration command) {
        return new AgiLimits(maxLine, maxRequest, request, command);
    }
}
