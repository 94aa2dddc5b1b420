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

    /**
     * For a notification whose earlier claim, made at {@code abandoned.claimedAt()}, was abandoned: every provider id
     * that may be that earlier attempt, newest first (SMS: the messages to the same number with the same text since
     * shortly before the claim); the outbox records the first one no other notification has recorded, and carries it
     * out again only when there is none. By default {@link #find}'s answer.
     *
     * @throws SendFailure when the provider could not be asked: the notification is then neither recorded nor carried
     *                     out, and asked about again after the next lease (see {@link OutboxWorker})
     */
    default java.util.List<String> candidates(Notification abandoned) throws SendFailure {
        return find(abandoned).map(java.util.List::of).orElse(java.util.List.of());
    }

    /** How long before an abandoned claim a provider's record of it may be dated: the nodes' and its clocks differ. */
    java.time.Duration CLOCK_SLACK = java.time.Duration.ofMinutes(2);

    /** SMS through {@code sender}; an abandoned claim is looked up with {@link SmsSender#sentSince}. */
    static Delivery sms(SmsSender sender) {
        return new Delivery() {
            @Override
            public String deliver(Notification n) throws SendFailure {
                return sender.send(n.to(), n.body());
            }

            @Override
            public java.util.List<String> candidates(Notification abandoned) throws SendFailure {
                java.time.Instant claimed = abandoned.claimedAt() != null ? abandoned.claimedAt() : abandoned.createdAt();
                return sender.sentSince(abandoned.to(), abandoned.body(), claimed.minus(CLOCK_SLACK));
            }
        };
    }
}
