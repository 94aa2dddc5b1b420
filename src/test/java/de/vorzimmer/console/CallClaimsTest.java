package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.calls.CallChoices;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.server.VorzimmerServer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One truth per call: the first secretary's choice on a ringing call wins (the database guards it), every console
 * hears who took it, a later choice is refused with her name, and a call the phone system refused to move is free
 * again.
 */
class CallClaimsTest {
    @RegisterExtension
    static final ConsoleServer app = ConsoleServer.perClass();
    static ConsoleServer.Session anna;
    static ConsoleServer.Session ben;

    @BeforeAll
    static void logIn() throws Exception {
        anna = app.login("anna", VorzimmerServer.DEMO_PASSWORD);
        ben = app.login("ben", VorzimmerServer.DEMO_PASSWORD);
    }

    private static HttpResponse<String> choose(ConsoleServer.Session s, String callId, String choice) throws Exception {
        return app.send("POST", "/api/v1/calls/" + callId + "/choice", s.headers(), new JsonObject().put("choice", choice).encode());
    }

    @Test
    void theFirstChoiceWinsAndTheOtherSecretaryIsToldWhoTookTheCall() throws Exception {
        List<String> bensFeed = app.feed(ben);
        String call = "1764316800.77";
        HttpResponse<String> first = choose(anna, call, "message");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(new JsonObject(first.body()).getString("by")).isEqualTo("anna");

        HttpResponse<String> late = choose(ben, call, "put-through");
        assertThat(late.statusCode()).isEqualTo(409);
        JsonObject refusal = new JsonObject(late.body());
        assertThat(refusal.getString("code")).isEqualTo("call-taken");
        assertThat(refusal.getString("by")).isEqualTo("anna");
        assertThat(refusal.getString("byName")).isNotBlank();
        assertThat(refusal.getString("choice")).isEqualTo("message");
        HttpResponse<String> again = choose(anna, call, "voicemail");
        assertThat(again.statusCode()).as("the holder chooses again on her call").isEqualTo(200);
        assertThat(new JsonObject(choose(ben, call, "put-through").body()).getString("choice")).isEqualTo("voicemail");

        await().atMost(Duration.ofSeconds(5)).until(() -> bensFeed.stream().anyMatch(f -> f.startsWith("data: ")
                && f.contains("\"callId\":\"" + call + "\"") && f.contains("\"state\":\"claimed\"") && f.contains("\"by\":\"anna\"")));
        CallChoiceStore store = new CallChoiceStore(app.server.database());
        assertThat(store.claimOf(call)).hasValueSatisfying(c -> {
            assertThat(c.by()).isEqualTo("anna");
            assertThat(c.choice()).isEqualTo("voicemail");
        });
    }

    @Test
    void ofManyChoicesAtOnceOneSecretaryWinsAndEveryChoiceOfTheOtherIsRefused() throws Exception {
        String call = "1764316800.78";
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ConsoleServer.Session who = i % 2 == 0 ? anna : ben;
            String name = i % 2 == 0 ? "anna" : "ben";
            String choice = i % 3 == 0 ? "put-through" : i % 3 == 1 ? "message" : "voicemail";
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return name + " " + choose(who, call, choice).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<String> outcomes = all.stream().map(CompletableFuture::join).toList();
        String holder = new CallChoiceStore(app.server.database()).claimOf(call).orElseThrow().by();
        String other = holder.equals("anna") ? "ben" : "anna";
        assertThat(outcomes).as(outcomes.toString()).containsOnly(holder + " 200", other + " 409")
                .filteredOn(o -> o.startsWith(other)).hasSize(6);
    }

    @Test
    void aCallThePhoneSystemRefusedToMoveIsFreeForAnotherChoice() throws Exception {
        String call = "1764316800.79";
        // the PBX adapter owning the call answers, and refuses: the call no longer rings
        MessageConsumer<Object> pbx = app.server.vertx().eventBus().consumer(CallChoices.addressFor(call),
                m -> m.fail(404, "no call '" + call + "' in progress"));
        await().atMost(Duration.ofSeconds(5)).until(pbx::isRegistered);
        try {
            HttpResponse<String> refused = choose(anna, call, "put-through");
            assertThat(refused.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(refused.body()).getBoolean("carriedOut")).isFalse();
            assertThat(new CallChoiceStore(app.server.database()).claimOf(call)).isEmpty();
        } finally {
            pbx.unregister();
        }
        HttpResponse<String> next = choose(ben, call, "message");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(new CallChoiceStore(app.server.database()).claimOf(call)).hasValueSatisfying(c ->
                assertThat(c.by()).isEqualTo("ben"));
    }

    @Test
    void whenNoNodeCanMoveTheCallTheConsoleHearsUnavailableAndTheCallIsFree() throws Exception {
        String call = "1764316800.80";
        // the PBX adapter answers that no node holds the PBX's lease now
        MessageConsumer<Object> pbx = app.server.vertx().eventBus().consumer(CallChoices.addressFor(call),
                m -> m.fail(CallChoices.UNAVAILABLE, "no node can act for 'pbx 127.0.0.1:5038': no node holds it now"));
        await().atMost(Duration.ofSeconds(5)).until(pbx::isRegistered);
        try {
            HttpResponse<String> unavailable = choose(anna, call, "voicemail");
            assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
            JsonObject body = new JsonObject(unavailable.body());
            assertThat(body.getString("code")).isEqualTo("pbx-unavailable");
            assertThat(body.getString("error")).isEqualTo("no node can act for 'pbx 127.0.0.1:5038': no node holds it now");
            assertThat(new CallChoiceStore(app.server.database()).claimOf(call)).isEmpty();
        } finally {
            pbx.unregister();
        }
        HttpResponse<String> next = choose(ben, call, "message");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    }
}
