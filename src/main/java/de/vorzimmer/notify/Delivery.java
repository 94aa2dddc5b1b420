package de.vorzimmer.notify;

import java.util.Optional;

/**
 * Carries out one claimed notification through its channel's provider: one call is one provider request; retrying
 * is the outbox's job.
 */
@FunctionalInterface
public interface Delivery {
    /**
     * Carries {@code n} out.
     *
     * @return the provider's id for it (an SMS or call SID, a mail's message id)
     * @throws SendFailure when it was not carried out, saying whether trying again may help, or that it is no
     *                     longer wanted ({@link SendFailure#cancelled})
     */
    String deliver(Notification n) throws SendFailure;

    /**
     * For a notification claimed earlier and never recorded (its worker stopped mid-send): the provider's id if the
     * provider did carry it out after all, so it is recorded instead of done twice. Empty when that cannot be told;
     * it is then carried out again.
     */
    default Optional<String> find(Notification n) {
        return Optional.empty();
    }

    /** SMS through {@code sender}. */
    static Delivery sms(SmsSender sender) {
        return n -> sender.send(n.to(), n.body());
    }
}
