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
