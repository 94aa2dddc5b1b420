package de.vorzimmer.asterisk;

/**
 * A callback that cannot be placed. {@code field} names the request field at fault ({@code secretary},
 * {@code number}), or is null when the PBX is the problem (AMI not configured or not connected).
 */
public final class CallbackException extends RuntimeException {
    private final String field;

    public CallbackException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
