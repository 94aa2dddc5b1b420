package de.vorzimmer.twilio;

import de.vorzimmer.book.Action;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.messages.MessageKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Twilio call as a pure state machine, in the manner of the phone-in dialog: what one webhook means for the call,
 * given what is stored of it ({@link CallRecord}, or none). Each {@link Step} says which conditional change of the
 * call's row to make, which live state that change announces, and what to answer Twilio. The stages follow the
 * routing core's decision: its action, then its fallbacks ({@code Decision.then()}) in order, passing over a screen
 * that no Twilio secretary can take; a caller is never left without a next stage (the last one is the recording).
 *
 * <p>No I/O, no clock: the voice routes read the row, carry the step out, and announce the state only if their write
 * changed the row, so Twilio's retries (on any node) announce nothing twice and a late retry moves nothing back.
 */
final class TwilioCallFlow {
    private TwilioCallFlow() {
    }

    // ---- what comes in

    /** What a webhook reports about a call. */
    sealed interface Event permits Incoming, Accepted, DialEnded, SecretaryAnswered, Recorded, Ended, Chosen {
    }

    /** {@code /voice}: a new call, decided as {@code record} says (its stage is still the decision's action). */
    record Incoming(CallRecord record) implements Event {
    }

    /** {@code /whisper}: the client pressed 1 (or not) on a put-through. */
    record Accepted(boolean pressedOne) implements Event {
    }

    /**
     * {@code /dial-result}: a dial ended.
     *
     * @param putThrough    the dial rang the client (a put-through), not the secretaries
     * @param talked        Twilio says the dialled party talked ({@code completed}, {@code answered})
     * @param messageIfMissed a put-through a secretary chose: when the client does not take it, the caller leaves a
     *                        message (the secretaries have seen the call already)
     */
    record DialEnded(boolean putThrough, boolean talked, boolean messageIfMissed) implements Event {
    }

    /** {@code /status?leg=secretary}: a secretary's leg reports progress; {@code answered} once she took it. */
    record SecretaryAnswered(boolean answered) implements Event {
    }

    /** {@code /recording}: the caller's recording is there; {@code empty} when nothing was said. */
    record Recorded(boolean empty) implements Event {
    }

    /** {@code /status}: the call itself is over (completed, busy, no-answer, failed, canceled). */
    record Ended() implements Event {
    }

    /** {@code /choice}: a secretary chose in the console; {@code reach} is the client's, or null if there is none. */
    record Chosen(boolean putThrough, String reach) implements Event {
    }

    // ---- what goes out

    /** The change of the call's row to make; each is conditional, so only the first of several retries makes it. */
    sealed interface Write permits Nothing, Insert, Answer, AnswerAndEnd, Advance, End, Settle {
    }

    record Nothing() implements Write {
    }

    /** Store the new call (a retried {@code /voice} finds it there and stores nothing). */
    record Insert(CallRecord record) implements Write {
    }

    /** The call was taken: outcome answered, unless it has an outcome already; with {@code accepted}, the whisper's 1. */
    record Answer(boolean accepted) implements Write {
    }

    /** The call was taken and its dial is over, so the call is too. */
    record AnswerAndEnd() implements Write {
    }

    /** Move a running call to stage {@code to}, if it is at one of {@code from}. */
    record Advance(Action to, Set<Action> from) implements Write {
        Advance {
            from = Set.copyOf(from);
        }
    }

    /** Note that the call is over. */
    record End() implements Write {
    }

    /** The call leaves a message of {@code kind} and is over, unless it ended otherwise before. */
    record Settle(CallRecord.Outcome outcome, MessageKind kind) implements Write {
    }

    /** What to answer Twilio with. */
    sealed interface Reply permits Ring, Screen, Record, Reject, Hangup, Connect, Thanks, NothingRecorded, Ok {
    }

    /** Ring the client's reach with the whisper; {@code messageIfMissed} for a put-through a secretary chose. */
    record Ring(String reach, boolean messageIfMissed) implements Reply {
    }

    /** Ring the Twilio secretaries among {@code targets}. */
    record Screen(List<String> targets) implements Reply {
        Screen {
            targets = List.copyOf(targets);
        }
    }

    /** The client's greeting, then the recording. */
    record Record() implements Reply {
    }

    record Reject() implements Reply {
    }

    /** End the leg (a finished dial, a whisper not accepted). */
    record Hangup() implements Reply {
    }

    /** An empty document: connects the whisper's two parties. */
    record Connect() implements Reply {
    }

    record Thanks() implements Reply {
    }

    record NothingRecorded() implements Reply {
    }

    /** Nothing to say (a status callback). */
    record Ok() implements Reply {
    }

    /**
     * One step.
     *
     * @param announce the live state to publish when the write changed the row (null: none); an {@link AnswerAndEnd}
     *                 announces {@code ended} as well when the end was new
     */
    record Step(Write write, CallState announce, Reply reply) {
        Step {
            Objects.requireNonNull(write, "write == null");
            Objects.requireNonNull(reply, "reply == null");
        }
    }

    // ---- the machine

    /**
     * The step for {@code event} on the call as stored ({@code record}, null if there is no row: an incoming call
     * not stored yet, or a callback for a call another route never saw).
     */
    static Step on(CallRecord record, Event event) {
        Objects.requireNonNull(event, "event == null");
        if (event instanceof Incoming in) return incoming(in.record());
        if (event instanceof Accepted a) {
            return a.pressedOne() ? new Step(new Answer(true), CallState.ANSWERED, new Connect())
                    : new Step(new Nothing(), null, new Hangup()); // the <Dial> ends without a bridge: the call falls back
        }
        if (event instanceof DialEnded d) return dialEnded(record, d);
        if (event instanceof SecretaryAnswered s) {
            return s.answered() ? new Step(new Answer(false), CallState.ANSWERED, new Ok()) : new Step(new Nothing(), null, new Ok());
        }
        if (event instanceof Recorded r) {
            return r.empty() ? new Step(new Nothing(), null, new NothingRecorded())
                    : new Step(new Settle(CallRecord.Outcome.RECORDED, MessageKind.RECORDING), CallState.ENDED, new Thanks());
        }
        if (event instanceof Ended) return ended(record);
        return chosen(record, (Chosen) event);
    }

    /** The first stage of a new call: its action, or the first fallback Twilio can carry out. */
    private static Step incoming(CallRecord r) {
        Action first = r.action() == Action.SCREEN && !canScreen(r) ? nextAfter(r, Action.SCREEN) : r.action();
        CallRecord stored = first == r.action() ? r : r.atStage(first);
        return switch (first) {
            case PUT_THROUGH -> new Step(new Insert(stored), CallState.RINGING, new Ring(null, false));
            case SCREEN -> new Step(new Insert(stored), CallState.RINGING, new Screen(TwilioCalls.dialable(r.screenTargets())));
            case MESSAGE -> new Step(new Insert(stored), CallState.MESSAGE, new Record());
            // a rejected call is "ended" once Twilio reports its end
            case REJECT -> new Step(new Insert(stored.withOutcome(CallRecord.Outcome.REJECTED)), null, new Reject());
        };
    }

    private static Step dialEnded(CallRecord r, DialEnded d) {
        boolean answered = r != null && r.outcome() == CallRecord.Outcome.ANSWERED || !d.putThrough() && d.talked();
        // the dial ends after the conversation, and the call with it (we hang up)
        if (answered) return new Step(new AnswerAndEnd(), CallState.ANSWERED, new Hangup());
        Action from = d.putThrough() ? Action.PUT_THROUGH : Action.SCREEN;
        Action next = r == null || d.messageIfMissed() ? Action.MESSAGE : nextAfter(r, from);
        return advanceTo(r, next);
    }

    private static Step ended(CallRecord r) {
        // answered, recorded or rejected: over now; the first report of it says so
        if (r.outcome() != null || r.action() == Action.REJECT) return new Step(new End(), CallState.ENDED, new Ok());
        return new Step(new Settle(CallRecord.Outcome.MISSED, MessageKind.MISSED), CallState.MISSED, new Ok());
    }

    /** A put-through rings the client's reach again (a new stage), voicemail (or no reach) goes to the recording. */
    private static Step chosen(CallRecord r, Chosen c) {
        if (c.putThrough() && c.reach() != null && r != null) {
            return new Step(new Advance(Action.PUT_THROUGH, EnumSet.of(Action.SCREEN)), CallState.RINGING,
                    new Ring(c.reach(), true));
        }
        if (r == null) return new Step(new Nothing(), null, new Record());
        return new Step(new Advance(Action.MESSAGE, EnumSet.of(Action.PUT_THROUGH, Action.SCREEN)), CallState.MESSAGE,
                new Record());
    }

    private static Step advanceTo(CallRecord r, Action next) {
        if (r == null) return new Step(new Nothing(), null, next == Action.SCREEN ? new Screen(List.of()) : new Record());
        Set<Action> from = next == Action.SCREEN ? EnumSet.of(Action.PUT_THROUGH) : EnumSet.of(Action.PUT_THROUGH, Action.SCREEN);
        Reply reply = next == Action.SCREEN ? new Screen(TwilioCalls.dialable(r.screenTargets())) : new Record();
        return new Step(new Advance(next, from), next == Action.SCREEN ? CallState.RINGING : CallState.MESSAGE, reply);
    }

    /**
     * The stage after {@code current} in the call's plan (its action, then its fallbacks), passing over a screen no
     * Twilio secretary can take and anything that is not a way to take the call; the recording when none is left.
     */
    static Action nextAfter(CallRecord r, Action current) {
        List<Action> plan = plan(r);
        int at = plan.indexOf(current);
        for (int i = at + 1; i < plan.size(); i++) {
            Action a = plan.get(i);
            if (a == Action.SCREEN && !canScreen(r)) continue;
            if (a == Action.SCREEN || a == Action.MESSAGE) return a;
        }
        return Action.MESSAGE;
    }

    /** The call's action and then its fallbacks, as decided ({@code then}); rows without a decision get the default. */
    static List<Action> plan(CallRecord r) {
        List<Action> plan = new ArrayList<>();
        plan.add(r.action());
        if (r.decision() != null) {
            for (String word : r.decision().then()) plan.add(Action.parse(word));
        } else if (r.action() == Action.PUT_THROUGH) {
            plan.addAll(List.of(Action.SCREEN, Action.MESSAGE));
        } else if (r.action() == Action.SCREEN) {
            plan.add(Action.MESSAGE);
        }
        return plan;
    }

    /** Whether a secretary on Twilio can take a screen of this call (PJSIP/... endpoints are Asterisk-only). */
    static boolean canScreen(CallRecord r) {
        return !TwilioCalls.endpoints(r.screenTargets()).isEmpty();
    }
}
