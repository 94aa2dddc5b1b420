package de.vorzimmer.asterisk.agi;

/**
 * The caller hung up: Asterisk said {@code HANGUP}, answered a command on a dead channel (511) or closed the
 * connection. The normal end of a call that was still running, so it carries no stack trace.
 */
public final class AgiHangupException extends RuntimeException {
    public AgiHangupException(String message) {
        super(message, null, false, false);
    }
}
