package de.vorzimmer.notify;


import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends SMS through Twilio's Messages API with the SDK's REST client
 * ({@code Message.creator(to, from, body).create(client)}), one HTTP request per call (see
 * {@link RedirectingHttpClient}), and sorts failures: 429, 5xx, time-outs and refused connections are worth
 * another try; 400 and 404 (e.g. error 21211, invalid 'To') are not. 401/403 count as transient: a wrong token is
 * the operator's to fix, and the message should go out once it is fixed, before the give-up time.
 */
public final class TwilioSmsSender implements SmsSender {
    private final TwilioRestClient client;
    private final PhoneNumber from;

    public TwilioSmsSender(TwilioRestClient client, String from) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.from = new PhoneNumber(Objects.requireNonNull(from, "from == null"));
    }

    /** A sender for the account, sending from {@code from}, to Twilio or to {@code apiUrl} if not null. */
    public static TwilioSmsSender create(String accountSid, String authToken, String from, URI apiUrl, Duration timeout) {
        return new TwilioSmsSender(RedirectingHttpClient.restClient(accountSid, authToken, apiUrl, timeout), from);
    }

    @Override
    public String send(String to, String body) throws SendFailure {
        try {
            Message m = Message.creator(new PhoneNumber(to), from, body).create(client);
            if (m.getSid() == null) throw new SendFailure(true, "provider accepted the message but returned no sid", null);
            return m.getSid();
        } catch (ApiConnectionException e) {
            throw new SendFailure(false, "connection: " + e.getMessage(), e);
        } catch (ApiException e) {
            throw classify(e);
        } catch (TwilioException e) {
            throw new SendFailure(false, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** How many messages to one number, newest first, the look-up of an abandoned claim reads at most. */
    static final int LOOKUP_PAGE = 100;
    static final int LOOKUP_PAGES = 3;

    /**
     * Twilio's list of Messages ({@code GET .../Messages.json?To=..&From=..}, newest first), read page by page up to
     * {@value #LOOKUP_PAGES} pages of {@value #LOOKUP_PAGE}: the SIDs of those with exactly {@code body} created at or
     * after {@code since}. No DateSent filter: a message Twilio accepted but still queues has no DateSent yet.
     */
    @Override
    public java.util.List<String> sentSince(String to, String body, java.time.Instant since) throws SendFailure {
        java.util.List<String> found = new java.util.ArrayList<>();
        try {
            com.twilio.rest.api.v2010.account.MessageReader reader = Message.reader().setTo(new PhoneNumber(to))
                    .setFrom(from).setPageSize((long) LOOKUP_PAGE);
            com.twilio.base.Page<Message> page = reader.firstPage(client);
            for (int pages = 1; ; pages++) {
                boolean older = false;
                for (Message m : page.getRecords()) {
                    java.time.ZonedDateTime created = m.getDateCreated();
                    if (created != null && created.toInstant().isBefore(since)) {
                        older = true;
                        continue;
                    }
                    if (body.equals(m.getBody()) && m.getSid() != null) found.add(m.getSid());
                }
                if (older || pages >= LOOKUP_PAGES || !page.hasNextPage()) return found;
                page = reader.nextPage(page, client);
            }
        } catch (ApiConnectionException e) {
            throw new SendFailure(false, "look-up: connection: " + e.getMessage(), e);
        } catch (ApiException e) {
            SendFailure f = classify(e);
            throw new SendFailure(false, "look-up: " + f.getMessage(), e);
        } catch (TwilioException e) {
            throw new SendFailure(false, "look-up: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static SendFailure classify(ApiException e) {
        Integer status = e.getStatusCode();
        if (status == null) {
            // NetworkHttpClient wraps an IOException (refused, reset, time-out) without a status. Anything else
            // without a status came after a 2xx (e.g. an unreadable body): the message may well have been
            // accepted, so sending it again could duplicate it.
            if (e.getCause() instanceof IOException) return new SendFailure(false, "network: " + e.getMessage(), e);
            return new SendFailure(true, "unreadable provider answer (may have been sent): " + e.getMessage(), e);
        }
        String what = "HTTP " + status + (e.getCode() == null ? "" : ", Twilio error " + e.getCode()) + ": " + e.getMessage();
        boolean permanent = status >= 400 && status < 500 && status != 401 && status != 403 && status != 408
                && status != 409 && status != 429;
        return new SendFailure(permanent, what, e);
    }
}
