package de.vorzimmer.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.EscalationPolicy;
import de.vorzimmer.book.OnCall;
import de.vorzimmer.escalation.Chain.Call;
import de.vorzimmer.escalation.Chain.CancelQueued;
import de.vorzimmer.escalation.Chain.State;
import de.vorzimmer.escalation.Chain.Status;
import de.vorzimmer.escalation.Chain.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation chain as a scenario: events with their instant in, the next state and effects out. */
class ChainTest {
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    static final OnCall MUELLER = OnCall.always("Dr. Müller", "+491701111111");
    static final OnCall SCHULZ = OnCall.always("Dr. Schulz", "+491712222222");
    static final EscalationPolicy POLICY = new EscalationPolicy(Duration.ofMinutes(10), Duration.ofSeconds(30), 2);
    static final Chain.Roster TWO = new Chain.Roster(t -> List.of(MUELLER, SCHULZ), POLICY);

    @Test
    void theFirstCallOutIsPlannedAfterTheWaitingTimeForTheFirstPersonOnCall() {
        Transition t = Chain.start(T0, TWO);

        assertThat(t.state()).isEqualTo(new State(Status.RUNNING, 1, 0, 2, 1));
        assertThat(t.effects()).containsExactly(new Call(1, MUELLER, T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void anUnconfirmedCallMovesOnToTheNextPersonAtOnce() {
        State s = Chain.start(T0, TWO).state();
        Instant ended = T0.plus(Duration.ofMinutes(11));

        Transition t = Chain.next(s, new Chain.CallEnded(1, CallOutcome.NO_ANSWER, ended), TWO);

        assertThat(t.state()).isEqualTo(new State(Status.RUNNING, 1, 1, 3, 2));
        assertThat(t.effects()).containsExactly(new Call(2, SCHULZ, ended));
    }

    @Test
    void afterTheLastPersonTheNextRoundStartsAfterTheWaitingTimeAndThenTheChainIsExhausted() {
        State s = Chain.start(T0, TWO).state();
        Instant at = T0.plus(Duration.ofMinutes(11));
        s = Chain.next(s, new Chain.CallEnded(1, CallOutcome.NO_ANSWER, at), TWO).state();

        Transition round2 = Chain.next(s, new Chain.CallEnded(2, CallOutcome.BUSY, at), TWO);
        assertThat(round2.state()).isEqualTo(new State(Status.RUNNING, 2, 0, 4, 3));
        assertThat(round2.effects()).containsExactly(new Call(3, MUELLER, at.plus(Duration.ofMinutes(10))));

        s = Chain.next(round2.state(), new Chain.CallEnded(3, CallOutcome.ANSWERED, at), TWO).state();
        Transition last = Chain.next(s, new Chain.CallEnded(4, CallOutcome.NO_ANSWER, at), TWO);
        assertThat(last.state().status()).isEqualTo(Status.EXHAUSTED);
        assertThat(last.effects()).isEmpty();
    }

    @Test
    void aConfirmationStopsTheChainAndCancelsWhatIsQueued() {
        State s = Chain.start(T0, TWO).state();

        Transition t = Chain.next(s, new Chain.Confirmed(T0.plusSeconds(60)), TWO);

        assertThat(t.state().status()).isEqualTo(Status.CONFIRMED);
        assertThat(t.state().awaiting()).isEqualTo(-1);
        assertThat(t.effects()).containsExactly(new CancelQueued());
        assertThat(Chain.next(t.state(), new Chain.Confirmed(T0.plusSeconds(90)), TWO).changed(t.state())).isFalse();
    }

    @Test
    void aLateOrRepeatedReportOfAnotherStepChangesNothing() {
        State s = Chain.start(T0, TWO).state();
        State after = Chain.next(s, new Chain.CallEnded(1, CallOutcome.NO_ANSWER, T0), TWO).state();

        assertThat(Chain.next(after, new Chain.CallEnded(1, CallOutcome.NO_ANSWER, T0), TWO).changed(after)).isFalse();
        assertThat(Chain.next(after, new Chain.CallEnded(7, CallOutcome.FAILED, T0), TWO).changed(after)).isFalse();
    }

    @Test
    void keyOneOnTheCallConfirms() {
        State s = Chain.start(T0, TWO).state();

        assertThat(Chain.next(s, new Chain.CallEnded(1, CallOutcome.CONFIRMED, T0), TWO).state().status())
                .isEqualTo(Status.CONFIRMED);
    }

    @Test
    void aStoppedChainCanBeRestartedFromTheFirstPersonAtOnceButAConfirmedOneCannot() {
        State s = Chain.start(T0, TWO).state();
        Transition stopped = Chain.next(s, new Chain.Stopped(T0.plusSeconds(5)), TWO);
        assertThat(stopped.state().status()).isEqualTo(Status.STOPPED);
        assertThat(stopped.effects()).containsExactly(new CancelQueued());

        Instant again = T0.plusSeconds(30);
        Transition restarted = Chain.next(stopped.state(), new Chain.Restarted(again), TWO);
        assertThat(restarted.state()).isEqualTo(new State(Status.RUNNING, 1, 0, 3, 2));
        assertThat(restarted.effects()).containsExactly(new CancelQueued(), new Call(2, MUELLER, again));

        State confirmed = Chain.next(s, new Chain.Confirmed(again), TWO).state();
        assertThat(Chain.next(confirmed, new Chain.Restarted(again), TWO).changed(confirmed)).isFalse();
    }

    @Test
    void theRotationDecidesWhoIsOnCallWhenTheCallIsDue() {
        // Dr. Schulz only from 08:05 on (a rotation changing hands); the call is due at 08:10
        Chain.Roster rotation = new Chain.Roster(t -> t.isBefore(T0.plusSeconds(300)) ? List.of(MUELLER) : List.of(SCHULZ),
                POLICY);

        assertThat(Chain.start(T0, rotation).effects()).containsExactly(new Call(1, SCHULZ, T0.plusSeconds(600)));
    }

    @Test
    void nobodyOnCallOrNoRoundsMeansNoCallOuts() {
        assertThat(Chain.start(T0, new Chain.Roster(t -> List.of(), POLICY)).state().status()).isEqualTo(Status.EXHAUSTED);
        Chain.Roster smsOnly = new Chain.Roster(t -> List.of(MUELLER),
                new EscalationPolicy(Duration.ofMinutes(10), Duration.ofSeconds(30), 0));
        Transition t = Chain.start(T0, smsOnly);
        assertThat(t.state().status()).isEqualTo(Status.EXHAUSTED);
        assertThat(t.effects()).isEmpty();
    }
}
