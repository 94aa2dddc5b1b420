package de.vorzimmer.notify;

/**
 * An SMS the provider did not accept. {@code permanent}: the same request will fail again (invalid number, bad
 * request), so the outbox fails it at once; otherwise (rate limit, server error, time-out, refused connection) it
 * retries with backoff until the give-up time.
 */
public final class SendFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    public SendFailure(boolean permanent, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
