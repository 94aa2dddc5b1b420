package de.vorzimmer.notify;

/** Sends one SMS through a provider. One call is one provider request: retrying is the outbox's job. */
public interface SmsSender {
    /**
     * Sends {@code body} to {@code to} (E.164).
     *
     * @return the provider's id for the accepted message (Twilio: the message SID)
     * @throws SendFailure when the provider did not accept it, saying whether trying again may help
     */
    String send(String to, String body) throws SendFailure;

    /**
     * For an SMS whose earlier claim was abandoned (its worker stopped between the request and recording the
     * answer): the provider's ids of the messages from this sender to {@code to} with exactly {@code body} created at
     * or after {@code since}, newest first; empty if there are none. A sender that cannot be asked answers empty (the
     * SMS is then sent again).
     *
     * @throws SendFailure when the provider could not be asked (the outbox then neither records nor sends the SMS,
     *                     and asks again later)
     */
    default java.util.List<String> sentSince(String to, String body, java.time.Instant since) throws SendFailure {
        return java.util.List.of();
    }
}
