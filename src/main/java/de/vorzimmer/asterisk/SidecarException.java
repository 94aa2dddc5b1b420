package de.vorzimmer.asterisk;

/** A recording report (sidecar file or UserEvent) we cannot use; the message names the field. */
public final class SidecarException extends RuntimeException {
    public SidecarException(String message) {
        super(message);
    }
}
