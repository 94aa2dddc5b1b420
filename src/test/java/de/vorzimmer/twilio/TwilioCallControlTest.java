package de.vorzimmer.twilio;

import de.vorzimmer.calls.CallChoices;

import static de.vorzimmer.twilio.TwilioWebhooksTest.ACCOUNT;
import static de.vorzimmer.twilio.TwilioWebhooksTest.LINE;
import static de.vorzimmer.twilio.TwilioWebhooksTest.NOW;
import static de.vorzimmer.twilio.TwilioWebhooksTest.PUBLIC;
import static de.vorzimmer.twilio.TwilioWebhooksTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.console.ConsoleApi;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.notify.FakeTwilio.Answer;
import de.vorzimmer.notify.RedirectingHttpClient;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console's choices on Twilio calls through the real SDK: {@link TwilioCallControl} on the event bus, a real
 * SQLite file with the calls, and a local stand-in for Twilio's REST API ({@link FakeTwilio}) that records what
 * Twilio would have received and answers as scripted.
 */
class TwilioCallControlTest {
    private static final String ADDRESS = CallChoices.TWILIO_ADDRESS;
    /** Short, so the time-out cases stay quick; the server uses {@link TwilioCallControl#REST_TIMEOUT}. */
    private static final Duration REST_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;
    Stores store;
    TwilioCallStore calls;
    LiveRouting routing;
    Vertx vertx;
    FakeTwilio fake;
    int sidCounter;

    @BeforeEach
    void start() throws Exception {
        store = Stores.open(dir.resolve("vz.db"), Durability.FULL, new PinHasher());
        store.books().save(BookLoader.load(TwilioWebhooksTest.BOOK, new PinHasher()), "test", NOW);
        routing = new LiveRouting(store.snapshots().at(NOW), Clock.fixed(NOW, ZoneOffset.UTC));
        calls = new TwilioCallStore(store.database());
        vertx = Vertx.vertx();
        fake = new FakeTwilio();
        vertx.eventBus().consumer(ADDRESS, control(REST_TIMEOUT, Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        fake.close();
        calls.close();
        store.close();
    }

    private TwilioCallControl control(Duration restTimeout, Duration replyWithin) {
        return new TwilioCallControl(vertx, new TwilioSettings(PUBLIC, TOKEN, ACCOUNT), routing, calls,
                RedirectingHttpClient.restClient(ACCOUNT, TOKEN, fake.url(), restTimeout), replyWithin);
    }

    // ---- carried out -------------------------------------------------------------------------------------

    @Test
    void putThroughRedirectsTheLiveCallToTheChoiceWebhook() throws Exception {
        String sid = ringing("mueller");

        assertThat(choose(ADDRESS, sid, "put-through").getString("done")).isEqualTo("put through to +491701111111");

        FakeTwilio.Received r = fake.received().get(0);
        assertThat(fake.received()).hasSize(1);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + sid + ".json");
        assertThat(r.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.form()).containsEntry("Url", PUBLIC + TwilioWebhooks.CHOICE_PATH + "?choice=put-through")
                .containsEntry("Method", "POST").containsEntry("FallbackUrl", PUBLIC + "/twilio/fallback")
                .containsEntry("FallbackMethod", "POST").doesNotContainKey("Twiml");
        assertThat(calls.find(sid)).get().extracting(CallRecord::outcome).isNull();
    }

    @Test
    void voicemailRedirectsTheLiveCallToTheGreetingAndRecording() throws Exception {
        String sid = ringing("mueller");

        assertThat(choose(ADDRESS, sid, "voicemail").getString("done")).isEqualTo("sent to voicemail");

        assertThat(fake.received()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + sid + ".json");
            assertThat(r.form()).containsEntry("Url", PUBLIC + "/twilio/choice?choice=voicemail")
                    .containsEntry("Method", "POST");
        });
    }

    @Test
    void takingAMessageNeedsNothingOfTwilio() throws Exception {
        String sid = ringing("mueller");
        assertThat(choose(ADDRESS, sid, "message").getString("done")).isEqualTo("the secretary takes the message");
        assertThat(fake.received()).isEmpty();
    }

    // ---- not ours: no answer at all ----------------------------------------------------------------------

    @Test
    void aCallIdNotInTheCallTableGetsNoAnswerAndNoTwilioRequest() {
        for (JsonObject request : List.of(choice("CA" + "f".repeat(32), "put-through"), choice("1764316800.42", "voicemail"),
                new JsonObject().put("choice", "voicemail"))) {
            ReplyException e = assertThrows(ReplyException.class, () -> vertx.eventBus()
                    .request(ADDRESS, request, new DeliveryOptions().setSendTimeout(500)).await(10, TimeUnit.SECONDS));
            assertThat(e.failureType()).as("no reply and no failure for %s", request).isEqualTo(ReplyFailure.TIMEOUT);
        }
        assertThat(fake.received()).isEmpty();
    }

    // ---- refused -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(CallRecord.Outcome.class)
    void aCallThatIsNoLongerRingingIsRefusedWithoutAskingTwilio(CallRecord.Outcome outcome) throws Exception {
        String sid = ringing("mueller");
        calls.markOutcome(sid, outcome, NOW);

        ReplyException e = refused(sid, "voicemail");

        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.REFUSED);
        assertThat(e.getMessage()).isEqualTo("call " + sid + " is no longer ringing (" + outcome.word() + ")");
        assertThat(fake.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"put-through", "voicemail", "message"})
    void aCallerAlreadyLeavingAMessageIsNotRedirected(String choice) throws Exception {
        String sid = ringing("mueller");
        assertThat(calls.advance(sid, Action.MESSAGE, java.util.Set.of(Action.SCREEN), NOW)).isTrue();

        ReplyException e = refused(sid, choice);

        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.REFUSED);
        assertThat(e.getMessage()).isEqualTo("call " + sid + " is no longer ringing (the caller is leaving a message)");
        assertThat(fake.received()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"404, 20404", "400, 21220"})
    void aCallTwilioNoLongerHasInProgressIsRefusedAndNothingChanges(int status, int code) throws Exception {
        String sid = ringing("mueller");
        CallRecord before = calls.find(sid).orElseThrow();
        fake.script(Answer.error(status, code));

        ReplyException e = refused(sid, "put-through");

        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.REFUSED);
        assertThat(e.getMessage()).startsWith("call " + sid + " is no longer in progress at Twilio (HTTP " + status
                + ", Twilio error " + code + ": ");
        assertThat(fake.received()).hasSize(1);
        assertThat(calls.find(sid)).contains(before);
    }

    @Test
    void aTwilioServerErrorIsNotCarriedOutNotRetriedAndChangesNothing() throws Exception {
        String sid = ringing("mueller");
        CallRecord before = calls.find(sid).orElseThrow();
        fake.script(Answer.error(500, null));

        ReplyException e = refused(sid, "put-through");

        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.TWILIO_FAILED);
        assertThat(e.getMessage()).startsWith("Twilio did not redirect call " + sid + " (HTTP 500");
        assertThat(fake.received()).as("one request: the SDK's own retries are off").hasSize(1);
        assertThat(calls.find(sid)).contains(before);
    }

    @Test
    void twilioNotAnsweringIsNotCarriedOut() throws Exception {
        String sid = ringing("mueller");
        CallRecord before = calls.find(sid).orElseThrow();
        fake.script(Answer.hang(REST_TIMEOUT.toMillis() * 3));

        ReplyException e = refused(sid, "voicemail");

        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.TWILIO_FAILED);
        assertThat(e.getMessage()).startsWith("no answer from Twilio");
        assertThat(calls.find(sid)).contains(before);
    }

    @Test
    void theReplyComesBeforeTheConsoleGivesUpEvenWhileTwilioIsStillSilent() throws Exception {
        String slow = "test.choice.slow";
        vertx.eventBus().consumer(slow, control(Duration.ofSeconds(5), Duration.ofMillis(300)));
        String sid = ringing("mueller");
        CallRecord before = calls.find(sid).orElseThrow();
        fake.script(Answer.hang(2_000));

        ReplyException e = assertThrows(ReplyException.class, () -> vertx.eventBus()
                .request(slow, choice(sid, "put-through"), new DeliveryOptions().setSendTimeout(10_000))
                .await(15, TimeUnit.SECONDS));

        assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.TOO_SLOW);
        assertThat(e.getMessage()).isEqualTo("Twilio did not answer within 300 ms; the call may still be redirected");
        assertThat(calls.find(sid)).contains(before);
    }

    @Test
    void aPutThroughForACallWithoutAClientIsRefusedWithoutAskingTwilio() throws Exception {
        String sid = ringing(null);
        ReplyException e = refused(sid, "put-through");
        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.REFUSED);
        assertThat(e.getMessage()).isEqualTo("call " + sid + " is for no client (unknown line)");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void anUnknownChoiceIsRefusedWithoutAskingTwilio() throws Exception {
        String sid = ringing("mueller");
        ReplyException e = refused(sid, "transfer");
        assertThat(e.failureCode()).isEqualTo(TwilioCallControl.REFUSED);
        assertThat(e.getMessage()).isEqualTo("choice 'transfer' is unknown, expected put-through, message or voicemail");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void aReplyWindowThatIsNotPositiveIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> control(REST_TIMEOUT, Duration.ZERO));
        assertThat(e).hasMessage("replyWithin = PT0S, expected a positive duration");
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** A screened call in progress for {@code client} (null: an unknown line), as {@code /twilio/voice} stores it. */
    private String ringing(String client) {
        String sid = String.format("CA%032x", ++sidCounter);
        calls.insert(new CallRecord(sid, NOW, client, LINE, "+49301112222", null, Action.SCREEN, false, "de", "DE",
                List.of("client:anna"), false, null, null, null), NOW);
        return sid;
    }

    /** What the console sends when a secretary presses a button on the card. */
    private static JsonObject choice(String callId, String choice) {
        return new JsonObject().put("callId", callId).put("choice", choice).put("by", "anna").put("secretary", "anna")
                .put("at", NOW.toString());
    }

    private JsonObject choose(String address, String callId, String choice) throws Exception {
        Future<Message<JsonObject>> reply = vertx.eventBus().request(address, choice(callId, choice),
                new DeliveryOptions().setSendTimeout(5_000));
        return reply.await(10, TimeUnit.SECONDS).body();
    }

    private ReplyException refused(String callId, String choice) {
        ReplyException e = assertThrows(ReplyException.class, () -> choose(ADDRESS, callId, choice));
        assertThat(e.failureType()).as(e.getMessage()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        return e;
    }
}
