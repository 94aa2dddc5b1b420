package de.vorzimmer.twilio;

import de.vorzimmer.calls.CallChoices;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.routing.Call;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioCallsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "anonymous", "Anonymous", "restricted", "unknown", "UNAVAILABLE", "+266696687",
            "+86282452253", "+7378742833", "+2562533"})
    void twiliosWithheldCallerIdsAreAnonymous(String from) {
        Call call = TwilioCalls.toCall(new TwilioParams(Map.of("From", from, "To", "+49301234567"), Map.of()));
        assertThat(call.restricted()).isTrue();
        assertThat(call.from()).isEmpty();
    }

    @Test
    void aNumberIsPassedAsIsWithTheForwardedFrom() {
        Call call = TwilioCalls.toCall(new TwilioParams(Map.of("From", "+49309876543", "To", "+4930999",
                "ForwardedFrom", "+49301234567", "CallerName", "Labor"), Map.of()));
        assertThat(call).isEqualTo(new Call("+4930999", "+49309876543", "+49301234567", false, "Labor"));
    }

    @Test
    void asteriskEndpointsAreSkipped() {
        assertThat(TwilioCalls.endpoints(List.of("PJSIP/anna", "client:anna", "sip:ben@vz.sip.twilio.com", "SIP/x",
                "client:", "sip:nohost")))
                .containsExactly(new TwilioCalls.ClientEndpoint("anna"),
                        new TwilioCalls.SipEndpoint("sip:ben@vz.sip.twilio.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CA0123456789abcdef0123456789abcdef", "CA0123456789ABCDEF0123456789ABCDEF"})
    void callSidsAreRecognised(String id) {
        assertThat(CallChoices.isCallSid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1764316800.42", "pbx1-1764316800.42", "", "CA123", "CA0123456789abcdef0123456789abcdef0",
            "SM0123456789abcdef0123456789abcdef", "ca0123456789abcdef0123456789abcdef",
            "CA0123456789abcdef0123456789abcdeg", "CA0123456789abcdef0123456789abcde\n"})
    void otherCallIdsAreNotCallSids(String id) {
        assertThat(CallChoices.isCallSid(id)).isFalse();
    }
}
