package de.vorzimmer.console;

import de.vorzimmer.store.Stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.usage.CallTimes;
import de.vorzimmer.usage.UsageCsv;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The usage report on a whole demo server: dry runs of the routing API are not calls, the answer and end times come
 * from the live call state on the event bus, and the report is the admin's (JSON and CSV).
 */
class UsageApiTest {
    @RegisterExtension
    static final ConsoleServer app = ConsoleServer.perClass();

    private static int callLogRows() {
        return Stores.on(app.server.database()).calls().recent(1000).size();
    }

    @Test
    void aDryRunOfTheRoutingApiIsNeitherLoggedNorCounted() throws Exception {
        int before = callLogRows();
        HttpResponse<String> r = app.send("POST", "/api/v1/route", app.admin().headers(),
                new JsonObject().put("to", "030 1234567").put("from", "030 9876543").encode());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("client")).isEqualTo("mueller");
        // the call log is written in 50 ms batches: nothing may turn up for well beyond that
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> callLogRows() == before);

        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        JsonObject usage = new JsonObject(app.send("GET", "/api/v1/usage?month=" + now + "&client=mueller",
                app.admin().headers(), null).body());
        assertThat(usage.getJsonArray("clients").getJsonObject(0).getInteger("calls")).isZero();
    }

    @Test
    void answerAndEndOnTheEventBusBecomeSecretaryTime() {
        Instant t = Instant.parse("2026-12-03T09:00:00Z");
        String id = "1764752400.7";
        publish(new CallUpdate(id, CallState.ANSWERED, "mueller", "+49305550000", null, "+49301234567",
                "Müller: +49305550000", List.of("PJSIP/anna"), "PJSIP/anna", null, false, "screen", 0, t, null));
        publish(new CallUpdate(id, CallState.ENDED, "mueller", "+49305550000", null, "+49301234567",
                "Müller: +49305550000", List.of("PJSIP/anna"), "PJSIP/anna", null, false, "screen", 0,
                t.plusSeconds(31), null));
        CallTimes times = new CallTimes(Stores.on(app.server.database()).database());
        await().atMost(Duration.ofSeconds(5)).until(() -> times.answeredBetween(t, t.plusSeconds(1)).stream()
                .anyMatch(a -> a.callId().equals(id) && a.endedAt() != null));
        assertThat(times.answeredBetween(t, t.plusSeconds(1))).containsExactly(new CallTimes.Answered(id, "mueller",
                "screen", "PJSIP/anna", t, t.plusSeconds(31)));
    }

    private static void publish(CallUpdate u) {
        app.server.vertx().eventBus().publish(CallUpdate.ADDRESS, u.toJson());
    }

    @Test
    void theAdminGetsCsvAndASecretaryIsRefusedWithACode() throws Exception {
        HttpResponse<String> csv = app.send("GET", "/api/v1/usage?month=2026-12&format=csv", app.admin().headers(), null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.body()).startsWith(UsageCsv.HEADER + "\r\n").contains("\r\n2026-12,mueller,Zahnarztpraxis Dr. Müller,");

        ConsoleServer.Session anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
        HttpResponse<String> refused = app.send("GET", "/api/v1/usage?month=2026-12", anna.headers(), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("admin-required");

        HttpResponse<String> bad = app.send("GET", "/api/v1/usage?month=December", app.admin().headers(), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getMap()).containsEntry("code", "field-invalid").containsEntry("field", "month");

        HttpResponse<String> unknown = app.send("GET", "/api/v1/usage?month=2026-12&client=nobody", app.admin().headers(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("client-unknown");
    }
}
