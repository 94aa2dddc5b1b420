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
}
