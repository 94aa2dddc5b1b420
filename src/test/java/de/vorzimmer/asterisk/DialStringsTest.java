package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialStringsTest {
    @Test
    void reachPutsTheNumberIntoTheTemplate() {
        assertThat(new DialStrings("Local/{number}@vorzimmer-reach").reach("+491701234567"))
                .isEqualTo("Local/+491701234567@vorzimmer-reach");
        assertThat(new DialStrings("{number}").reach("+4930")).isEqualTo("+4930");
        assertThat(new DialStrings("PJSIP/{number}@trunk,,U(vz^{number})").reach("+4930"))
                .isEqualTo("PJSIP/+4930@trunk,,U(vz^+4930)");
    }

    @Test
    void templateWithoutNumberIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DialStrings("PJSIP/trunk"));
        assertThat(e.getMessage()).contains("has no {number}");
    }

    @Test
    void onlyAsteriskEndpointsAreSecretaries() {
        assertThat(new DialStrings("Local/{number}@r").secretaries(
                List.of("PJSIP/anna", "client:ben", "sip:carla@example.org", "/nothing", "IAX2/dora")))
                .containsExactly("PJSIP/anna", "IAX2/dora");
    }
}
