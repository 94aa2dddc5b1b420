package de.vorzimmer.twilio;


import de.vorzimmer.http.Refusal;

/** A webhook request we refuse, with the HTTP status to answer and a reason that is safe to send back. */
public final class TwilioRequestException extends RuntimeException implements Refusal.Refused {
    private final int status;

    public TwilioRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static TwilioRequestException missing(String name) {
        return new TwilioRequestException(400, "missing parameter " + name);
    }

    @Override
    public int status() {
        return status;
    }
}
