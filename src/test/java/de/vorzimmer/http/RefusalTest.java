package de.vorzimmer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import de.vorzimmer.console.ApiException;
import de.vorzimmer.twilio.TwilioRequestException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.Test;

/** One way to answer a failed request, for the JSON API and the Twilio webhooks alike. */
class RefusalTest {
    private static RoutingContext failed(Throwable t, int status) {
        RoutingContext ctx = mock(RoutingContext.class);
        when(ctx.failure()).thenReturn(t);
        when(ctx.statusCode()).thenReturn(status);
        return ctx;
    }

    @Test
    void aRefusalKeepsItsStatusAndReason() {
        assertThat(Refusal.of(failed(ApiException.badRequest("field 'to' missing"), -1), 1024))
                .isEqualTo(new Refusal(400, "field 'to' missing", false));
        assertThat(Refusal.of(failed(TwilioRequestException.missing("CallSid"), -1), 1024))
                .isEqualTo(new Refusal(400, "missing parameter CallSid", false));
    }

    @Test
    void theRoutersOwnStatusesAreNamed() {
        assertThat(Refusal.of(failed(null, 413), 65536)).isEqualTo(new Refusal(413, "body larger than 65536 bytes", false));
        assertThat(Refusal.of(failed(new IllegalStateException("x"), 413), 10).status()).isEqualTo(413);
        assertThat(Refusal.of(failed(null, 404), 10)).isEqualTo(new Refusal(404, "not found", false));
        assertThat(Refusal.of(failed(null, 405), 10)).isEqualTo(new Refusal(405, "request failed", false));
        assertThat(Refusal.of(failed(null, -1), 10)).isEqualTo(new Refusal(500, "request failed", false));
    }

    @Test
    void aClientThatLeftMidRequestIsNoInternalError() {
        assertThat(Refusal.of(failed(new HttpClosedException("Connection was closed"), -1), 10))
                .isEqualTo(new Refusal(400, "connection closed before the request was complete", false));
    }

    @Test
    void anythingElseIsAnInternalErrorWithoutItsMessage() {
        Refusal r = Refusal.of(failed(new IllegalStateException("secret detail"), 500), 10);
        assertThat(r).isEqualTo(new Refusal(500, "internal error", true));
    }
}
