package de.vorzimmer.asterisk.agi;

/**
 * The peer broke the FastAGI conversation: no answer in time, a line or request over the limits, or an answer
 * nobody asked for. The connection is closed; the message names what happened. A peer's fault, so no stack trace.
 */
public final class AgiConnectionException extends RuntimeException {
    public AgiConnectionException(String message) {
        super(message, null, false, false);
    }
}
