package de.vorzimmer.console;

import de.vorzimmer.calls.CallChoices;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which adapter a secretary's choice goes to, and what the console says when none carried it out. */
class ChoiceRoutingTest {

    @Test
    void aCallSidGoesToTwilio() {
        assertThat(CallChoices.addressFor("CA0123456789abcdef0123456789abcdef"))
                .isEqualTo(CallChoices.TWILIO_ADDRESS).isEqualTo("vorzimmer.calls.choice.twilio");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1764316800.42", "pbx1-1764316800.42", "CA123", "some-call"})
    void everyOtherCallIdGoesToAsterisk(String callId) {
        assertThat(CallChoices.addressFor(callId)).isEqualTo(CallChoices.ASTERISK_ADDRESS).isEqualTo("vorzimmer.calls.choice");
    }

    @Test
    void theAdaptersRefusalIsTheReason() {
        assertThat(CallsApi.notCarriedOut(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409,
                "call CA01 is no longer ringing (missed)"))).isEqualTo("call CA01 is no longer ringing (missed)");
    }

    @Test
    void everyReasonHasAStableCodeForTheConsolesOwnWords() {
        assertThat(CallsApi.reasonCode(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "no call in progress")))
                .isEqualTo("pbx-refused");
        assertThat(CallsApi.reasonCode(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 502, "no answer from Twilio")))
                .isEqualTo("pbx-failed");
        assertThat(CallsApi.reasonCode(new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers"))).isEqualTo("no-pbx");
        assertThat(CallsApi.reasonCode(new ReplyException(ReplyFailure.TIMEOUT, "timed out"))).isEqualTo("pbx-timeout");
        assertThat(CallsApi.reasonCode(new IllegalStateException("x"))).isEqualTo("pbx-failed");
    }

    @Test
    void noAdapterOrNoAnswerIsSaidSo() {
        assertThat(CallsApi.notCarriedOut(new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers")))
                .isEqualTo("no phone system connected that could redirect this call");
        assertThat(CallsApi.notCarriedOut(new ReplyException(ReplyFailure.TIMEOUT, "timed out")))
                .isEqualTo("no phone system answered within 3 s");
    }
}
