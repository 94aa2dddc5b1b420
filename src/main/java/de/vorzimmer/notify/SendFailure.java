package de.vorzimmer.notify;

/**
 * An SMS the provider did not accept. {@code permanent}: the same request will fail again (invalid number, bad
 * request), so the outbox fails it at once; otherwise (rate limit, server error, time-out, refused connection) it
 * retries with backoff until the give-up time.
 */
public final class SendFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;
    private final boolean cancelled;

    public SendFailure(boolean permanent, String message, Throwable cause) {
        this(permanent, false, message, cause);
    }

    private SendFailure(boolean permanent, boolean cancelled, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.cancelled = cancelled;
    }

    /** Not carried out because it is no longer wanted (the message was confirmed meanwhile): no further attempt. */
    public static SendFailure cancelled(String why) {
        return new SendFailure(true, true, why, null);
    }

    public boolean cancelled() {
        return cancelled;
    }

    public boolean permanent() {
        return permanent;
    }
}
