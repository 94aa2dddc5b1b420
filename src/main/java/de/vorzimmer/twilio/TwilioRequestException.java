package de.vorzimmer.twilio;

/** A webhook request we refuse, with the HTTP status to answer and a reason that is safe to send back. */
public final class TwilioRequestException extends RuntimeException {
    private final int status;

    public TwilioRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static TwilioRequestException missing(String name) {
        return new TwilioRequestException(400, "missing parameter " + name);
    }

    public int status() {
        return status;
    }
}
