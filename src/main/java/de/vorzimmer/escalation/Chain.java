package de.vorzimmer.escalation;

import de.vorzimmer.book.EscalationPolicy;
import de.vorzimmer.book.OnCall;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The escalation chain of one urgent message as a pure state machine, shared by every channel: a state, an event
 * (a call-out ended, the message was confirmed, a secretary stopped or restarted the chain) and the on-call roster
 * in; the next state and the effects (queue a call-out, cancel what is queued) out. No I/O and no clock: time comes
 * with each event. {@link Escalations} carries the effects out in the transaction that records the event.
 *
 * <pre>
 *  start ─ step 0: the urgent SMS (queued with the message) ─ after `after` unconfirmed ─&gt; call person 1
 *  call ended unconfirmed ─&gt; call the next person on call, at once
 *  last person of a round ─&gt; next round, `after` later ─ after `rounds` rounds ─&gt; exhausted
 *  confirmed (SMS reply, key 1 on a call-out, read in the console) ─&gt; confirmed, queued steps cancelled
 *  stopped by a secretary ─&gt; stopped, queued steps cancelled;  restarted ─&gt; person 1 is called at once
 * </pre>
 * Events for a step that is not the one awaited (a late or repeated report) change nothing.
 */
public final class Chain {
    private Chain() {
    }

    /** Who is on call at an instant, in order, and how the client's chain runs. */
    public record Roster(Function<Instant, List<OnCall>> onCallAt, EscalationPolicy policy) {
        public Roster {
            Objects.requireNonNull(onCallAt, "onCallAt == null");
            Objects.requireNonNull(policy, "policy == null");
        }
    }

    public enum Status {
        RUNNING, CONFIRMED, STOPPED, EXHAUSTED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status parse(String word) {
            for (Status s : values()) if (s.word().equals(word)) return s;
            throw new IllegalArgumentException("unknown escalation state '" + word + "'");
        }
    }

    /**
     * @param round    1 while the on-call list is gone through the first time
     * @param position index in the on-call list of the person last planned, -1 before the first
     * @param steps    steps planned so far: the next step's number (step 0 is the urgent SMS)
     * @param awaiting the call-out whose end moves the chain on, -1 for none
     */
    public record State(Status status, int round, int position, int steps, int awaiting) {
        public State {
            Objects.requireNonNull(status, "status == null");
            if (steps < 1) throw new IllegalArgumentException("steps " + steps + " < 1");
        }
    }

    public sealed interface Event {
        Instant at();
    }

    /** Call-out step {@code step} ended without a confirmation on it. */
    public record CallEnded(int step, CallOutcome outcome, Instant at) implements Event {
    }

    public record Confirmed(Instant at) implements Event {
    }

    public record Stopped(Instant at) implements Event {
    }

    public record Restarted(Instant at) implements Event {
    }

    public sealed interface Effect {
    }

    /** Queue call-out {@code step} to {@code person}, due at {@code at}. */
    public record Call(int step, OnCall person, Instant at) implements Effect {
    }

    /** Cancel the steps still queued (not yet handed to a provider). */
    public record CancelQueued() implements Effect {
    }

    public record Transition(State state, List<Effect> effects) {
        public Transition {
            effects = List.copyOf(effects);
        }

        public boolean changed(State before) {
            return !state.equals(before) || !effects.isEmpty();
        }
    }

    /** The chain of a message taken at {@code at}: step 0 (the SMS) is queued with it; plans the first call-out. */
    public static Transition start(Instant at, Roster roster) {
        State s = new State(Status.RUNNING, 1, -1, 1, -1);
        return plan(s, at.plus(roster.policy().after()), roster, List.of());
    }

    public static Transition next(State s, Event e, Roster roster) {
        if (e instanceof CallEnded ended) {
            if (s.status() != Status.RUNNING || ended.step() != s.awaiting()) return same(s);
            if (ended.outcome() == CallOutcome.CONFIRMED) return confirmed(s);
            return plan(s, ended.at(), roster, List.of());
        }
        if (e instanceof Confirmed) return s.status() == Status.CONFIRMED ? same(s) : confirmed(s);
        if (e instanceof Stopped) {
            return s.status() != Status.RUNNING ? same(s)
                    : new Transition(new State(Status.STOPPED, s.round(), s.position(), s.steps(), -1),
                    List.of(new CancelQueued()));
        }
        Restarted r = (Restarted) e;
        if (s.status() == Status.CONFIRMED) return same(s);
        State fresh = new State(Status.RUNNING, 1, -1, s.steps(), -1);
        return plan(fresh, r.at(), roster, List.of(new CancelQueued()));
    }

    private static Transition same(State s) {
        return new Transition(s, List.of());
    }

    private static Transition confirmed(State s) {
        return new Transition(new State(Status.CONFIRMED, s.round(), s.position(), s.steps(), -1),
                List.of(new CancelQueued()));
    }

    /**
     * Plans the call-out to the person after {@code s.position()} at {@code due}; past the end of the list the next
     * round starts {@code after} later; past the last round, or with nobody on call, the chain is exhausted.
     */
    private static Transition plan(State s, Instant due, Roster roster, List<Effect> before) {
        EscalationPolicy p = roster.policy();
        int round = s.round();
        int position = s.position() + 1;
        Instant at = due;
        List<OnCall> people = roster.onCallAt().apply(at);
        if (position >= people.size() && s.position() >= 0) {
            // everyone of this round was tried: the next round, `after` later, from the top of the list then
            round++;
            position = 0;
            at = due.plus(p.after());
            people = roster.onCallAt().apply(at);
        }
        if (round > p.rounds() || people.isEmpty()) {
            return new Transition(new State(Status.EXHAUSTED, Math.min(round, Math.max(p.rounds(), 1)), s.position(),
                    s.steps(), -1), before);
        }
        if (position >= people.size()) {
            // the list got shorter since (a rotation ended): start it over
            position = 0;
        }
        int step = s.steps();
        List<Effect> effects = new java.util.ArrayList<>(before);
        effects.add(new Call(step, people.get(position), at));
        return new Transition(new State(Status.RUNNING, round, position, step + 1, step), effects);
    }
}
