package de.vorzimmer.asterisk;

/** An AGI environment or reply we cannot use; the message names the field and what was wrong. */
public final class AgiInputException extends RuntimeException {
    public AgiInputException(String message) {
        super(message);
    }
}
