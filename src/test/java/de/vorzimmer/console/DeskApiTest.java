package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.routing.Call;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Duty from the console: a secretary sets herself on or off duty (not others), routing follows at once. */
class DeskApiTest {
    @RegisterExtension
    static final ConsoleServer app = ConsoleServer.perClass();

    @Test
    void aSecretaryGoesOffDutyAndTheNextScreenedCallDoesNotRingHer() throws Exception {
        ConsoleServer.Session ben = app.login("ben", VorzimmerServer.DEMO_PASSWORD);
        Call stranger = Call.of("030 1234567", "0171 5556677");
        assertThat(app.server.routing().decide(stranger).target()).contains("PJSIP/ben");

        HttpResponse<String> off = app.send("PUT", "/api/v1/duty/ben", ben.headers(), "{\"onDuty\":false}");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(app.server.routing().decide(stranger).target()).doesNotContain("PJSIP/ben").contains("PJSIP/anna");
        JsonObject list = new JsonObject(app.send("GET", "/api/v1/duty", ben.headers(), null).body());
        assertThat(list.getJsonArray("secretaries").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("id").equals("ben")).findFirst().orElseThrow().getMap())
                .containsEntry("onDuty", false).containsEntry("me", true);

        HttpResponse<String> others = app.send("PUT", "/api/v1/duty/anna", ben.headers(), "{\"onDuty\":false}");
        assertThat(others.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(others.body()).getString("code")).isEqualTo("duty-not-yours");
        HttpResponse<String> bad = app.send("PUT", "/api/v1/duty/ben", ben.headers(), "{\"onDuty\":\"no\"}");
        assertThat(new JsonObject(bad.body()).getMap()).containsEntry("code", "field-invalid").containsEntry("field", "onDuty");

        assertThat(app.send("PUT", "/api/v1/duty/ben", ben.headers(), "{\"onDuty\":true}").statusCode()).isEqualTo(200);
        assertThat(app.server.routing().decide(stranger).target()).contains("PJSIP/ben");
    }

    @Test
    void theSettingsSayWhetherUrgentMessagesGoOutBySms() throws Exception {
        ConsoleServer.Session anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
        assertThat(new JsonObject(app.send("GET", "/api/v1/console/settings", anna.headers(), null).body())
                .getBoolean("smsSender")).isFalse();
    }
}
