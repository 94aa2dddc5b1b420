package de.vorzimmer.phonein;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.phonein.DialogState.Phase;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.status.StatusTimeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The phone-in line as one pure state machine, shared by the Asterisk and the Twilio adapter: a state, an input
 * (keys, a time-out, a hang-up) and the instant in; the next state, effects (overrides, messages read, PIN
 * attempts, a lock) and prompts out. No I/O and no clock: the world comes in through {@link PhoneInFacts}.
 *
 * <pre>
 *  start ── caller ID is a client's reach/sms ──> ASK_PIN ──right PIN──> MENU
 *        └─ otherwise ──> ASK_CODE ──line number──> ASK_PIN      (wrong PIN: ASK_PIN or ASK_CODE again; 3 per call;
 *                                                                 the 5th within an hour locks the client for an hour)
 *  MENU  1 status · 2 available · 3 ──> ASK_HOURS · 4 ──> ASK_TIME (HHMM) · 5 schedule · 6 ──> ASK_NUMBER (expect)
 *        7 ──> MESSAGE (1 again · 2 next · * menu) · 9 goodbye · 0/* menu again
 * </pre>
 *
 * Bad input anywhere (nothing, too many digits, {@code *}/{@code #} where a number belongs, a choice not offered)
 * is named and the prompt offered again, at most {@link #MAX_RETRIES} times in a row, then goodbye. A change is made
 * only from a complete, valid entry; {@code *} inside an entry cancels it.
 */
public final class PhoneInDialog {
    /** Bad inputs in a row after which the line says goodbye instead of offering the prompt again. */
    public static final int MAX_RETRIES = 3;
    /** Wrong PINs in one call before goodbye (the lockout across calls is {@link PinLockout}). */
    public static final int MAX_LOGINS = 3;
    public static final int MAX_HOURS = 24;
    /** How long an expected caller entered by phone stays expected. */
    public static final Duration EXPECT_FOR = Duration.ofHours(24);
    public static final String SOURCE = "phone-in";
    static final int MAX_CODE = 15;
    static final int MAX_PIN = 8;
    static final int MAX_NUMBER = 20;
    /** How far ahead "until when" looks for the end of a status that the office hours decide. */

    private PhoneInDialog() {
    }

    /** The first step of a call from {@code caller} (E.164, or empty when anonymous). */
    public static Step start(String caller, Instant now, PhoneInFacts facts) {
        Client c = caller == null || caller.isEmpty() ? null : facts.clientByCaller(caller);
        if (c != null) {
            DialogState s = new DialogState(Phase.ASK_PIN, caller, c.id(), true, c.language(), 0, 0, List.of(), 0, 0);
            if (facts.pinState(c.id(), now).lockedAt(now)) return locked(s, List.of());
            return ask(s, List.of(), List.of(say(Phrase.WELCOME)));
        }
        DialogState s = new DialogState(Phase.ASK_CODE, caller, null, false, facts.defaultLanguage(), 0, 0, List.of(), 0, 0);
        return ask(s, List.of(), List.of(say(Phrase.WELCOME)));
    }

    public static Step next(DialogState s, Input in, Instant now, PhoneInFacts facts) {
        if (in instanceof Input.Hangup || s.phase() == Phase.DONE) return done(s, List.of(), List.of());
        if (s.loggedIn() && facts.client(s.clientId()) == null) {
            // the client left the book during the call
            return done(s, List.of(), List.of(say(Phrase.SORRY), say(Phrase.GOODBYE)));
        }
        if (in instanceof Input.Timeout) return retry(s, Phrase.NO_INPUT);
        String keys = ((Input.Keys) in).digits();
        return switch (s.phase()) {
            case ASK_CODE -> code(s, keys, now, facts);
            case ASK_PIN -> pin(s, keys, now, facts);
            case MENU -> menu(s, keys, now, facts);
            case ASK_HOURS -> hours(s, keys, now, facts);
            case ASK_TIME -> time(s, keys, now, facts);
            case ASK_NUMBER -> number(s, keys, now, facts);
            case MESSAGE -> message(s, keys, facts);
            case DONE -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * The current question again, with no effect (a Twilio webhook replayed for a step already taken); a call that
     * is over stays over.
     */
    public static Step repeat(DialogState s) {
        if (s.phase() == Phase.DONE) return new Step(s, List.of(), List.of(say(Phrase.GOODBYE)), null);
        return new Step(s, List.of(), question(s.phase()), askFor(s.phase()));
    }

    /** What the caller hears at each prompt, and how the input is collected. */
    static List<Prompt> question(Phase p) {
        return switch (p) {
            case ASK_CODE -> List.of(say(Phrase.ENTER_CODE));
            case ASK_PIN -> List.of(say(Phrase.ENTER_PIN));
            case MENU -> List.of(say(Phrase.MENU));
            case ASK_HOURS -> List.of(say(Phrase.ASK_HOURS));
            case ASK_TIME -> List.of(say(Phrase.ASK_TIME));
            case ASK_NUMBER -> List.of(say(Phrase.ASK_NUMBER));
            case MESSAGE -> List.of(say(Phrase.MESSAGE_OPTIONS));
            case DONE -> List.of();
        };
    }

    static Ask askFor(Phase p) {
        return switch (p) {
            case ASK_CODE -> new Ask(MAX_CODE, 10);
            case ASK_PIN -> new Ask(MAX_PIN, 10);
            case MENU, MESSAGE -> new Ask(1, 8);
            case ASK_HOURS -> new Ask(2, 8);
            case ASK_TIME -> new Ask(4, 10);
            case ASK_NUMBER -> new Ask(MAX_NUMBER, 10);
            case DONE -> null;
        };
    }

    // ---- login -----------------------------------------------------------------------------------------

    private static Step code(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (!keys.matches("[0-9]+")) return retry(s, Phrase.INVALID);
        if (keys.length() > MAX_CODE) return retry(s, Phrase.TOO_MANY_DIGITS);
        Client c = facts.clientByCode(keys);
        // an unknown code still gets the PIN prompt, so the line does not tell which codes exist
        DialogState next = s.to(Phase.ASK_PIN).withClient(c == null ? null : c.id(), c == null ? s.language() : c.language());
        if (c != null && facts.pinState(c.id(), now).lockedAt(now)) return locked(next, List.of());
        return ask(next, List.of(), List.of());
    }

    private static Step pin(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (keys.contains("*")) {
            // "*" starts the login over without counting as a wrong PIN
            DialogState back = s.recognised() ? s : s.to(Phase.ASK_CODE).withClient(null, s.language());
            return retryAt(back, s.retries() + 1, Phrase.CANCELLED);
        }
        Client c = s.clientId() == null ? null : facts.client(s.clientId());
        List<Effect> effects = new ArrayList<>();
        if (c != null) {
            PinLockout.PinState ps = facts.pinState(c.id(), now);
            if (ps.lockedAt(now)) return locked(s, List.of());
            boolean ok = keys.matches("[0-9]{4," + MAX_PIN + "}") && facts.pinMatches(c, keys);
            effects.add(new Effect.PinAttempt(c.id(), ok));
            if (ok) return loggedIn(s.to(Phase.MENU).withLoginFailures(0), c, effects, now, facts);
            Instant lock = PinLockout.lockAfterFailure(ps, now);
            if (lock != null) {
                effects.add(new Effect.Lock(c.id(), lock, ps.recentFailures() + 1));
                return locked(s, effects, say(Phrase.INCORRECT));
            }
        }
        int failures = s.loginFailures() + 1;
        if (failures >= MAX_LOGINS) return done(s, effects, List.of(say(Phrase.INCORRECT), say(Phrase.GOODBYE)));
        DialogState again = (s.recognised() ? s.to(Phase.ASK_PIN) : s.to(Phase.ASK_CODE).withClient(null, s.language()))
                .withLoginFailures(failures);
        return ask(again, effects, List.of(say(Phrase.INCORRECT)));
    }

    private static Step loggedIn(DialogState s, Client c, List<Effect> effects, Instant now, PhoneInFacts facts) {
        List<Prompt> p = new ArrayList<>(statusPrompts(c, facts.overrides(c.id()), facts.calendar(c.id()), now));
        int n = facts.unreadMessages(c.id()).size();
        if (n == 0) {
            p.add(say(Phrase.NO_MESSAGES));
        } else if (n == 1) {
            p.add(say(Phrase.YOU_HAVE));
            p.add(say(Phrase.ONE_MESSAGE));
        } else {
            p.add(say(Phrase.YOU_HAVE));
            p.add(new Prompt.Number(n));
            p.add(say(Phrase.NEW));
            p.add(say(Phrase.MESSAGES));
        }
        return ask(s, effects, p);
    }

    // ---- menu and changes ------------------------------------------------------------------------------

    private static Step menu(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (keys.length() > 1) return retry(s, Phrase.TOO_MANY_DIGITS);
        Client c = facts.client(s.clientId());
        return switch (keys) {
            case "1" -> ask(s.to(Phase.MENU), List.of(), statusPrompts(c, facts.overrides(c.id()), facts.calendar(c.id()), now));
            case "2" -> set(s, c, OverrideKind.AVAILABLE, null, null, now, facts);
            case "3" -> ask(s.to(Phase.ASK_HOURS), List.of(), List.of());
            case "4" -> ask(s.to(Phase.ASK_TIME), List.of(), List.of());
            case "5" -> set(s, c, OverrideKind.SCHEDULE, null, null, now, facts);
            case "6" -> ask(s.to(Phase.ASK_NUMBER), List.of(), List.of());
            case "7" -> startMessages(s, c, facts);
            case "9" -> done(s, List.of(), List.of(say(Phrase.GOODBYE)));
            case "0", "*" -> ask(s.to(Phase.MENU), List.of(), List.of());
            default -> retry(s, Phrase.INVALID);
        };
    }

    private static Step hours(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (keys.contains("*")) return cancelled(s);
        if (!keys.matches("[0-9]+")) return retry(s, Phrase.INVALID);
        if (keys.length() > 2) return retry(s, Phrase.TOO_MANY_DIGITS);
        int h = Integer.parseInt(keys);
        if (h < 1 || h > MAX_HOURS) return retry(s, Phrase.INVALID);
        return set(s, facts.client(s.clientId()), OverrideKind.UNAVAILABLE, null, now.plus(Duration.ofHours(h)), now, facts);
    }

    private static Step time(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (keys.contains("*")) return cancelled(s);
        if (!keys.matches("[0-9]+")) return retry(s, Phrase.INVALID);
        if (keys.length() > 4) return retry(s, Phrase.TOO_MANY_DIGITS);
        if (keys.length() != 4) return retry(s, Phrase.INVALID);
        int hh = Integer.parseInt(keys.substring(0, 2));
        int mm = Integer.parseInt(keys.substring(2));
        if (hh > 23 || mm > 59) return retry(s, Phrase.INVALID);
        Client c = facts.client(s.clientId());
        return set(s, c, OverrideKind.DND, null, nextOccurrence(LocalTime.of(hh, mm), c.timezone(), now), now, facts);
    }

    /** The first instant after {@code now} at which the wall clock in {@code zone} shows {@code t} (or, in a gap, just after). */
    static Instant nextOccurrence(LocalTime t, ZoneId zone, Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant candidate = ZonedDateTime.of(today, t, zone).toInstant();
        if (!candidate.isAfter(now)) candidate = ZonedDateTime.of(today.plusDays(1), t, zone).toInstant();
        return candidate;
    }

    private static Step number(DialogState s, String keys, Instant now, PhoneInFacts facts) {
        if (keys.contains("*")) return cancelled(s);
        if (!keys.matches("[0-9]+")) return retry(s, Phrase.INVALID);
        if (keys.length() > MAX_NUMBER) return retry(s, Phrase.TOO_MANY_DIGITS);
        Client c = facts.client(s.clientId());
        String e164;
        try {
            e164 = PhoneNumbers.toE164(keys, c.region());
        } catch (IllegalArgumentException e) {
            return retry(s, Phrase.INVALID);
        }
        return set(s, c, OverrideKind.EXPECT, NumberPattern.exact(e164), now.plus(EXPECT_FOR), now, facts);
    }

    private static Step set(DialogState s, Client c, OverrideKind kind, NumberPattern number, Instant until,
                            Instant now, PhoneInFacts facts) {
        Override o = new Override(0, c.id(), kind, number, now, until, null, SOURCE);
        List<Prompt> p = new ArrayList<>();
        p.add(say(Phrase.SAVED));
        if (kind == OverrideKind.EXPECT) {
            p.add(say(Phrase.EXPECTING));
            p.add(new Prompt.Digits(number.digits()));
        } else {
            List<Override> after = new ArrayList<>(facts.overrides(c.id()));
            after.add(o);
            p.addAll(statusPrompts(c, after, facts.calendar(c.id()), now));
        }
        return ask(s.to(Phase.MENU), List.of(new Effect.SetOverride(o)), p);
    }

    private static Step cancelled(DialogState s) {
        return ask(s.to(Phase.MENU), List.of(), List.of(say(Phrase.CANCELLED)));
    }

    /** "Your status is: available until 14:30" / "... according to your office hours" / "... until you change it". */
    static List<Prompt> statusPrompts(Client c, List<Override> overrides, CalendarView calendar, Instant now) {
        StatusTimeline.Outlook outlook = StatusService.outlook(c, overrides, calendar, now);
        StatusTimeline.Reading r = outlook.now();
        List<Prompt> p = new ArrayList<>();
        p.add(say(Phrase.STATUS_IS));
        p.add(say(switch (r.status()) {
            case AVAILABLE -> Phrase.AVAILABLE;
            case UNAVAILABLE -> Phrase.UNAVAILABLE;
            case DND -> Phrase.DND;
        }));
        boolean byOverride = r.override() != null && r.override().kind() != OverrideKind.SCHEDULE;
        Instant until = byOverride ? r.until() : null;
        if (until == null && !(byOverride && r.override().until() == null)) until = outlook.nextAt();
        if (until != null) {
            p.add(say(Phrase.UNTIL));
            p.add(time(until, c.timezone(), now));
        } else {
            p.add(say(byOverride ? Phrase.UNTIL_CHANGED : Phrase.BY_HOURS));
        }
        return p;
    }

    private static Prompt time(Instant t, ZoneId zone, Instant now) {
        ZonedDateTime at = t.atZone(zone);
        return new Prompt.Time(at, !at.toLocalDate().equals(now.atZone(zone).toLocalDate()));
    }

    // ---- messages --------------------------------------------------------------------------------------

    private static Step startMessages(DialogState s, Client c, PhoneInFacts facts) {
        List<Long> ids = facts.unreadMessages(c.id()).stream().map(Message::id).toList();
        if (ids.isEmpty()) return ask(s.to(Phase.MENU), List.of(), List.of(say(Phrase.NO_MESSAGES)));
        return play(s.to(Phase.MESSAGE).withQueue(ids, 0), List.of(), facts);
    }

    private static Step message(DialogState s, String keys, PhoneInFacts facts) {
        if (keys.length() > 1) return retry(s, Phrase.TOO_MANY_DIGITS);
        long current = s.queue().get(s.index());
        // the caller has heard the message (or skipped it on purpose): it is read
        List<Effect> read = List.of(new Effect.MarkRead(current));
        return switch (keys) {
            case "1" -> play(s.to(Phase.MESSAGE), read, facts);
            case "2" -> play(s.to(Phase.MESSAGE).withQueue(s.queue(), s.index() + 1), read, facts);
            case "*", "0" -> ask(s.to(Phase.MENU).withQueue(List.of(), 0), read, List.of());
            default -> retry(s, Phrase.INVALID);
        };
    }

    /** Plays the message at the state's index (skipping any that vanished), or says there are no more. */
    private static Step play(DialogState s, List<Effect> effects, PhoneInFacts facts) {
        int i = s.index();
        while (i < s.queue().size()) {
            Message m = facts.message(s.queue().get(i));
            if (m != null) {
                Client c = facts.client(s.clientId());
                return ask(s.withQueue(s.queue(), i), effects, messagePrompts(i + 1, m, c.timezone()));
            }
            i++;
        }
        return ask(s.to(Phase.MENU).withQueue(List.of(), 0), effects, List.of(say(Phrase.NO_MORE)));
    }

    static List<Prompt> messagePrompts(int number, Message m, ZoneId zone) {
        List<Prompt> p = new ArrayList<>();
        p.add(say(Phrase.MESSAGE));
        p.add(new Prompt.Number(number));
        if (m.urgent()) p.add(say(Phrase.URGENT));
        p.add(say(Phrase.FROM));
        String caller = m.callerNumber() == null ? "" : m.callerNumber().replace("+", "");
        if (caller.matches("[0-9]+")) p.add(new Prompt.Digits(caller));
        else p.add(say(Phrase.ANONYMOUS));
        p.add(say(Phrase.RECEIVED));
        ZonedDateTime at = m.createdAt().atZone(zone);
        p.add(new Prompt.Time(at, true));
        if (m.kind() == MessageKind.RECORDING && m.recordingPath() != null) {
            p.add(new Prompt.Recording(m.recordingPath()));
        } else if (m.kind() == MessageKind.TYPED && m.text() != null && !m.text().isBlank()) {
            p.add(say(Phrase.TYPED));
            p.add(new Prompt.Text(m.text().strip()));
        } else {
            p.add(say(Phrase.MISSED_CALL));
        }
        return p;
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    private static Step retry(DialogState s, Phrase why) {
        return retryAt(s, s.retries() + 1, why);
    }

    private static Step retryAt(DialogState s, int retries, Phrase why) {
        if (retries > MAX_RETRIES) {
            return done(s, List.of(), List.of(say(why), say(Phrase.TOO_MANY_TRIES), say(Phrase.GOODBYE)));
        }
        return ask(s.withRetries(retries), List.of(), List.of(say(why)));
    }

    private static Step locked(DialogState s, List<Effect> effects, Prompt... before) {
        List<Prompt> p = new ArrayList<>(List.of(before));
        p.add(say(Phrase.LOCKED));
        p.add(say(Phrase.GOODBYE));
        return done(s, effects, p);
    }

    /** Asks the question of the state's phase after {@code prompts}. */
    private static Step ask(DialogState s, List<Effect> effects, List<Prompt> prompts) {
        List<Prompt> p = new ArrayList<>(prompts);
        p.addAll(question(s.phase()));
        return new Step(s.nextSeq(), effects, p, askFor(s.phase()));
    }

    private static Step done(DialogState s, List<Effect> effects, List<Prompt> prompts) {
        return new Step(s.to(Phase.DONE).withRetries(s.retries()).nextSeq(), effects, prompts, null);
    }

    private static Prompt say(Phrase p) {
        return new Prompt.Say(p);
    }
}
