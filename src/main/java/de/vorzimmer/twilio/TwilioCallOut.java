package de.vorzimmer.twilio;

import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import de.vorzimmer.escalation.CallOut;
import de.vorzimmer.notify.SendFailure;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.List;

/**
 * Places escalation call-outs through Twilio's REST API (SDK {@code Call.creator}): the call's TwiML comes from
 * {@link CallOutRoutes#START} and its end from {@link CallOutRoutes#STATUS}, both with the step's outbox id. One
 * HTTP request per call (the outbox retries). After a stop mid-request, {@link #find} asks Twilio for a call to the
 * same number created since the step took the line: the step holds that number's line, so there is at most one.
 */
public final class TwilioCallOut implements CallOut {
    private final TwilioRestClient client;
    private final TwilioSettings settings;
    private final PhoneNumber from;

    public TwilioCallOut(TwilioRestClient client, TwilioSettings settings, String from) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.from = new PhoneNumber(Objects.requireNonNull(from, "from == null"));
    }

    @Override
    public String place(Order order) throws SendFailure {
        try {
            Call call = Call.creator(new PhoneNumber(order.to()), from,
                            URI.create(settings.url(CallOutRoutes.START + "?step=" + order.step())))
                    .setStatusCallback(URI.create(settings.url(CallOutRoutes.STATUS + "?step=" + order.step())))
                    .setStatusCallbackEvent(List.of("completed"))
                    .setTimeout(order.ringSeconds())
                    .create(client);
            if (call.getSid() == null) throw new SendFailure(true, "Twilio accepted the call but returned no sid", null);
            return call.getSid();
        } catch (ApiConnectionException e) {
            throw new SendFailure(false, "connection: " + e.getMessage(), e);
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status == null) {
                throw new SendFailure(!(e.getCause() instanceof IOException), "Twilio: " + e.getMessage(), e);
            }
            boolean permanent = status >= 400 && status < 500 && status != 401 && status != 403 && status != 408
                    && status != 409 && status != 429;
            throw new SendFailure(permanent, "HTTP " + status + (e.getCode() == null ? "" : ", Twilio error " + e.getCode())
                    + ": " + e.getMessage(), e);
        } catch (TwilioException e) {
            throw new SendFailure(false, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> find(Order order, Instant since) {
        ResourceSet<Call> calls = Call.reader().setTo(new PhoneNumber(order.to())).setFrom(from)
                .setStartTimeAfter(since.atZone(ZoneOffset.UTC).minusDays(1)).read(client);
        List<String> out = new java.util.ArrayList<>();
        for (Call c : calls) {
            // Twilio's date_created has whole seconds
            if (c.getDateCreated() != null && !c.getDateCreated().toInstant().isBefore(since.minusSeconds(1))) {
                out.add(c.getSid());
            }
        }
        return out;
    }
}
