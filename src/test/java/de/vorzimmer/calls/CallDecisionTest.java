package de.vorzimmer.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallDecisionTest {

    private static CallDecision tricky() {
        return new CallDecision("CA\"quoted\\back", "mueller", "+49301234567", "+49309876543", "vip",
                "Dr. Ängström \"Labor\"\n\ttab", "screen", List.of("message", "screen"), true,
                "Zahnarzt Müller – ✆ \u0001\u001f", null,
                List.of("rule 'Labor' matched", "line \\ back\r\n", "\u2028 separator"), 42L);
    }

    @Test
    void encodeWritesWhatToJsonHoldsFieldForFieldInTheSameOrder() {
        CallDecision d = tricky();
        JsonObject written = new JsonObject(d.encode());
        assertThat(written).isEqualTo(d.toJson());
        assertThat(List.copyOf(written.fieldNames())).containsExactlyElementsOf(List.copyOf(d.toJson().fieldNames()));
    }

    @Test
    void encodeReadsBackToTheSameDecision() {
        CallDecision d = tricky();
        assertThat(CallDecision.fromJson(new JsonObject(d.encode()))).isEqualTo(d);
    }

    @Test
    void encodeWritesNullsAndEmptyListsAsJsonDoes() {
        CallDecision d = new CallDecision("1796606052.1", null, null, null, "anonymous", null, "message", List.of(),
                false, null, null, List.of(), 0L);
        String json = d.encode();
        assertThat(json).contains("\"client\":null", "\"callerNumber\":\"\"", "\"then\":[]", "\"why\":[]",
                "\"urgent\":false", "\"bookVersion\":0");
        assertThat(new JsonObject(json)).isEqualTo(d.toJson());
        assertThat(CallDecision.fromJson(new JsonObject(json))).isEqualTo(d);
    }
}
