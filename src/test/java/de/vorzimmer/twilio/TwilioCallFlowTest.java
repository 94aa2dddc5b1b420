package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.calls.CallDecision;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.twilio.TwilioCallFlow.Step;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Twilio call flow as a table: a call as stored and a webhook in, the write, the announcement and the reply out. */
class TwilioCallFlowTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final List<String> TWILIO_SECRETARIES = List.of("client:anna", "sip:ben@vz.sip.twilio.com");
    private static final List<String> ASTERISK_SECRETARIES = List.of("PJSIP/anna");

    /** A call decided {@code action} with fallbacks {@code then}, ringing {@code secretaries} on a screen, at {@code stage}. */
    private static CallRecord call(Action action, String then, List<String> secretaries, Action stage) {
        List<String> fallbacks = then.isEmpty() ? List.of() : Arrays.asList(then.split(" "));
        CallDecision d = new CallDecision("CA1", "mueller", "+49301234567", "+49309876543", "vip", "Labor Schmidt",
                action.word(), fallbacks, false, "Müller: Labor Schmidt", "Praxis", List.of(), 3);
        return new CallRecord("CA1", T0, "mueller", "+49301234567", "+49309876543", "Labor Schmidt", action, false, "de",
                "DE", secretaries, false, null, null, stage, d);
    }

    @ParameterizedTest(name = "{0} (then {1}), secretaries {2}: first stage {3}, announced {4}")
    @CsvSource({
        "put-through, screen message, twilio,   put-through, ringing",
        "screen,      message,        twilio,   screen,      ringing",
        "screen,      message,        asterisk, message,     message",
        "message,     '',             twilio,   message,     message",
    })
    void aNewCallStartsAtItsActionOrTheFirstFallbackTwilioCanCarryOut(String action, String then, String secretaries,
                                                                        String stage, String announced) {
        CallRecord decided = call(Action.parse(action), then, secretaries.equals("twilio") ? TWILIO_SECRETARIES
                : ASTERISK_SECRETARIES, Action.parse(action));
        Step step = TwilioCallFlow.on(null, new TwilioCallFlow.Incoming(decided));
        CallRecord stored = ((TwilioCallFlow.Insert) step.write()).record();
        assertThat(stored.stage().word()).isEqualTo(stage);
        assertThat(stored.action().word()).as("what was decided stays as it was").isEqualTo(action);
        assertThat(step.announce().word()).isEqualTo(announced);
    }

    @Test
    void aRejectedCallIsStoredOverAndAnnouncedOnlyWhenTwilioReportsItsEnd() {
        Step step = TwilioCallFlow.on(null, new TwilioCallFlow.Incoming(call(Action.REJECT, "", List.of(), Action.REJECT)));
        assertThat(((TwilioCallFlow.Insert) step.write()).record().outcome()).isEqualTo(CallRecord.Outcome.REJECTED);
        assertThat(step.announce()).isNull();
        assertThat(step.reply()).isInstanceOf(TwilioCallFlow.Reject.class);
    }

    @ParameterizedTest(name = "{0} then {1}, secretaries {2}: a missed {3} goes on with {4}")
    @CsvSource({
        "put-through, screen message, twilio,   put-through, screen",
        "put-through, screen message, asterisk, put-through, message",
        "put-through, message,        twilio,   put-through, message",
        "screen,      message,        twilio,   screen,      message",
    })
    void aDialNobodyTookGoesOnWithTheDecisionsNextFallback(String action, String then, String secretaries, String stage,
                                                           String next) {
        CallRecord rec = call(Action.parse(action), then, secretaries.equals("twilio") ? TWILIO_SECRETARIES
                : ASTERISK_SECRETARIES, Action.parse(stage));
        Step step = TwilioCallFlow.on(rec, new TwilioCallFlow.DialEnded(stage.equals("put-through"), false, false));
        TwilioCallFlow.Advance advance = (TwilioCallFlow.Advance) step.write();
        assertThat(advance.to().word()).isEqualTo(next);
        assertThat(advance.from()).contains(Action.parse(stage));
        assertThat(step.announce()).isEqualTo(next.equals("screen") ? CallState.RINGING : CallState.MESSAGE);
    }

    @Test
    void aPutThroughASecretaryChoseEndsInAMessageWhenTheClientDoesNotTakeIt() {
        CallRecord rec = call(Action.SCREEN, "message", TWILIO_SECRETARIES, Action.PUT_THROUGH);
        Step step = TwilioCallFlow.on(rec, new TwilioCallFlow.DialEnded(true, false, true));
        assertThat(((TwilioCallFlow.Advance) step.write()).to()).isEqualTo(Action.MESSAGE);
        assertThat(step.reply()).isInstanceOf(TwilioCallFlow.Record.class);
    }

    @Test
    void aScreenThatTalkedIsAnsweredAndOverWithTheDial() {
        CallRecord rec = call(Action.SCREEN, "message", TWILIO_SECRETARIES, Action.SCREEN);
        Step step = TwilioCallFlow.on(rec, new TwilioCallFlow.DialEnded(false, true, false));
        assertThat(step.write()).isInstanceOf(TwilioCallFlow.AnswerAndEnd.class);
        assertThat(step.reply()).isInstanceOf(TwilioCallFlow.Hangup.class);
    }

    @Test
    void aPutThroughTheClientAcceptedIsAnsweredEvenThoughItsDialReportsNoAnswer() {
        CallRecord rec = call(Action.PUT_THROUGH, "screen message", TWILIO_SECRETARIES, Action.PUT_THROUGH)
                .withOutcome(CallRecord.Outcome.ANSWERED);
        assertThat(TwilioCallFlow.on(rec, new TwilioCallFlow.DialEnded(true, false, false)).write())
                .isInstanceOf(TwilioCallFlow.AnswerAndEnd.class);
    }

    @Test
    void aCallThatEndsUntakenLeavesAMissedCallMessageAndOneThatWasTakenIsJustOver() {
        CallRecord ringing = call(Action.SCREEN, "message", TWILIO_SECRETARIES, Action.SCREEN);
        Step missed = TwilioCallFlow.on(ringing, new TwilioCallFlow.Ended());
        assertThat(missed.write()).isEqualTo(new TwilioCallFlow.Settle(CallRecord.Outcome.MISSED, MessageKind.MISSED));
        assertThat(missed.announce()).isEqualTo(CallState.MISSED);
        Step over = TwilioCallFlow.on(ringing.withOutcome(CallRecord.Outcome.ANSWERED), new TwilioCallFlow.Ended());
        assertThat(over.write()).isInstanceOf(TwilioCallFlow.End.class);
        assertThat(over.announce()).isEqualTo(CallState.ENDED);
    }

    @Test
    void aSecretarysPutThroughRingsTheClientAndWithoutAReachTheCallerLeavesAMessage() {
        CallRecord rec = call(Action.SCREEN, "message", TWILIO_SECRETARIES, Action.SCREEN);
        Step ring = TwilioCallFlow.on(rec, new TwilioCallFlow.Chosen(true, "+491701111111"));
        assertThat(ring.reply()).isEqualTo(new TwilioCallFlow.Ring("+491701111111", true));
        assertThat(((TwilioCallFlow.Advance) ring.write()).to()).isEqualTo(Action.PUT_THROUGH);
        Step noReach = TwilioCallFlow.on(rec, new TwilioCallFlow.Chosen(true, null));
        assertThat(noReach.reply()).isInstanceOf(TwilioCallFlow.Record.class);
        assertThat(((TwilioCallFlow.Advance) noReach.write()).to()).isEqualTo(Action.MESSAGE);
    }

    @Test
    void anEmptyRecordingStoresNothingAndAskedAgainNeverLeavesDeadAir() {
        assertThat(TwilioCallFlow.on(null, new TwilioCallFlow.Recorded(true)).reply())
                .isInstanceOf(TwilioCallFlow.NothingRecorded.class);
        assertThat(TwilioCallFlow.nextAfter(call(Action.MESSAGE, "", TWILIO_SECRETARIES, Action.MESSAGE), Action.MESSAGE))
                .as("past the last fallback: the recording").isEqualTo(Action.MESSAGE);
    }
}
