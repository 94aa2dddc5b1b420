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
    private final java.time.Duration retryIn;

    public SendFailure(boolean permanent, String message, Throwable cause) {
        this(permanent, false, null, message, cause);
    }

    private SendFailure(boolean permanent, boolean cancelled, java.time.Duration retryIn, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.cancelled = cancelled;
        this.retryIn = retryIn;
    }

    /**
     * Not now, for a reason that has nothing to do with the provider (the person's phone is taken by another
     * call-out): try again after {@code retryIn}, without the growing backoff of a failure.
     */
    public static SendFailure notNow(String why, java.time.Duration retryIn) {
        return new SendFailure(false, false, java.util.Objects.requireNonNull(retryIn, "retryIn == null"), why, null);
    }

    /** When to try again for {@link #notNow}, else null. */
    public java.time.Duration retryIn() {
        return retryIn;
    }

    /** Not carried out because it is no longer wanted (the message was confirmed meanwhile): no further attempt. */
    public static SendFailure cancelled(String why) {
        return new SendFailure(true, true, null, why, null);
    }

    public boolean cancelled() {
        return cancelled;
    }

    public boolean permanent() {
        return permanent;
    }
}
