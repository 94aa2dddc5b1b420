package de.vorzimmer.store;

/** A state change the lifecycle does not allow (a message moves only forward: new, notified, read, done). */
public final class StateConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StateConflictException(String message) {
        super(message);
    }
}
