package de.vorzimmer.routing;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.CallerClass;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Condition;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.ContactClass;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.Rule;
import de.vorzimmer.book.Secretary;
import de.vorzimmer.routing.BookIndex.ClientEntry;
import de.vorzimmer.status.Override;
import de.vorzimmer.book.Status;
import de.vorzimmer.status.StatusTimeline;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing core: a snapshot and a call in, a {@link Decision} with its reasons out. Pure: no I/O,
 * no clock (the instant is a parameter), safe to call from any thread.
 *
 * <p>The client is the one whose line the call was forwarded from, else the one whose line was dialed.
 * The client's own rules are tried first, in order, then the default rules:
 * blocked → reject; dnd → screen; expected → put-through; vip and available → put-through; else screen.
 */
public final class Router {
    private Router() {
    }

    public static Decision decide(RoutingSnapshot snapshot, Call call, Instant at) {
        BookIndex index = snapshot.book();
        String region = index.book().defaults().region();
        List<String> why = new ArrayList<>(6);

        String dialed = PhoneNumbers.normalizeIncoming(call.to(), region);
        String forwarded = call.forwardedFrom() == null || call.forwardedFrom().isBlank()
                ? null : PhoneNumbers.normalizeIncoming(call.forwardedFrom(), region);
        ClientEntry entry = null;
        String line = dialed;
        if (forwarded != null) {
            entry = index.byLine(forwarded);
            if (entry != null) {
                line = forwarded;
                why.add("forwarded from line " + forwarded + " of client '" + entry.client().id() + "'");
            }
        }
        if (entry == null) {
            entry = index.byLine(dialed);
        }
        if (entry == null) return unknownLine(snapshot, call, dialed, forwarded, why);

        Client client = entry.client();
        List<Override> overrides = snapshot.live().of(client.id());
        Caller caller = classify(entry, overrides, call, at, why);
        StatusTimeline.Reading reading = StatusTimeline.at(overrides, snapshot.calendar(client.id()), client.hours(),
                client.timezone(), at);
        Status status = reading.status();
        why.add(reading.why());

        Action action = null;
        boolean urgent = false;
        List<Rule> rules = client.rules();
        LocalDateTime local = null;
        for (int i = 0, n = rules.size(); i < n && action == null; i++) {
            Rule rule = rules.get(i);
            Condition c = rule.condition();
            if (c.time() != null && local == null) local = LocalDateTime.ofInstant(at, client.timezone());
            if (holds(c, caller, status, line, local)) {
                action = rule.action();
                urgent = rule.urgent();
                why.add("rule " + (i + 1) + ": " + c.describe() + " -> " + action.word() + (urgent ? " (urgent)" : ""));
            }
        }
        if (action == null) action = defaultRule(caller, status, why);

        List<String> target;
        List<String> screenTarget = List.of();
        if (action == Action.PUT_THROUGH && client.reach() == null) {
            why.add("client has no reach number -> screen");
            action = Action.SCREEN;
        }
        if (action == Action.PUT_THROUGH) {
            target = List.of(client.reach());
            screenTarget = secretaryTargets(snapshot, client.language(), null);
        } else if (action == Action.SCREEN) {
            target = secretaryTargets(snapshot, client.language(), why);
            screenTarget = target;
            if (target.isEmpty()) {
                why.add("no secretary on duty -> message");
                action = Action.MESSAGE;
            }
        } else {
            target = List.of();
        }
        CallerInfo info = new CallerInfo(caller.number, caller.callerClass, caller.contact == null ? null
                : caller.contact.name());
        String display = client.shortName() + ": " + caller.label(call, client.language(), client.region());
        return new Decision(client.id(), line, info, status, action, target, urgent, action.fallbacks(), display,
                client.greeting(), why, screenTarget);
    }

    private static Decision unknownLine(RoutingSnapshot snapshot, Call call, String dialed, String forwarded,
                                       List<String> why) {
        why.add("no client has line " + dialed + (forwarded == null ? "" : " or " + forwarded) + ": unknown line");
        String region = snapshot.book().book().defaults().region();
        boolean anonymous = call.restricted() || PhoneNumbers.looksAnonymous(call.from());
        String number = anonymous ? "" : PhoneNumbers.normalizeIncoming(call.from(), region);
        CallerInfo info = new CallerInfo(number, anonymous ? CallerClass.ANONYMOUS : CallerClass.UNKNOWN, null);
        Action action = Action.SCREEN;
        List<String> target = secretaryTargets(snapshot, null, why);
        if (target.isEmpty()) {
            why.add("no secretary on duty -> message");
            action = Action.MESSAGE;
        } else {
            why.add("unknown line -> screen");
        }
        String language = snapshot.book().book().defaults().language();
        String label = anonymous ? anonymousWord(language) : stranger(call.callerName(), number, language, region);
        return new Decision(null, dialed, info, null, action, target, false, action.fallbacks(),
                "?: " + label, null, why, target);
    }

    private static Action defaultRule(Caller caller, Status status, List<String> why) {
        if (caller.is(CallerClass.BLOCKED)) {
            why.add("default rule 1: blocked -> reject");
            return Action.REJECT;
        }
        if (status == Status.DND) {
            why.add("default rule 2: dnd -> screen");
            return Action.SCREEN;
        }
        if (caller.is(CallerClass.EXPECTED)) {
            why.add("default rule 3: expected -> put-through");
            return Action.PUT_THROUGH;
        }
        if (caller.is(CallerClass.VIP) && status == Status.AVAILABLE) {
            why.add("default rule 4: vip and available -> put-through");
            return Action.PUT_THROUGH;
        }
        why.add("default rule 5: otherwise -> screen");
        return Action.SCREEN;
    }

    private static boolean holds(Condition c, Caller caller, Status status, String line, LocalDateTime local) {
        if (c.caller() != null && !caller.is(c.caller())) return false;
        if (c.contact() != null && (caller.contact == null || !caller.contact.name().equals(c.contact()))) {
            return false;
        }
        if (c.number() != null && (caller.number.isEmpty() || !c.number().matches(caller.number))) return false;
        if (c.available() != null && c.available() != (status == Status.AVAILABLE)) return false;
        if (c.status() != null && c.status() != status) return false;
        if (c.line() != null && !c.line().equals(line)) return false;
        return c.time() == null || c.time().contains(local);
    }

    /** Secretaries on duty who speak the language, else all on duty, in book order; {@code why} may be null. */
    private static List<String> secretaryTargets(RoutingSnapshot snapshot, String language, List<String> why) {
        List<Secretary> all = snapshot.book().secretaries();
        List<String> speakers = new ArrayList<>(4);
        List<String> onDuty = new ArrayList<>(4);
        for (int i = 0, n = all.size(); i < n; i++) {
            Secretary s = all.get(i);
            if (snapshot.offDuty().contains(s.id())) continue;
            onDuty.add(s.endpoint());
            if (language != null && s.speaks(language)) speakers.add(s.endpoint());
        }
        if (!speakers.isEmpty()) {
            if (why != null && speakers.size() < onDuty.size()) why.add("secretaries on duty speaking " + language + ": " + speakers.size());
            return speakers;
        }
        if (why != null && language != null && !onDuty.isEmpty()) why.add("no secretary on duty speaks " + language + ": ringing all on duty");
        return onDuty;
    }

    private static Caller classify(ClientEntry entry, List<Override> overrides, Call call, Instant at,
                                   List<String> why) {
        Client client = entry.client();
        if (call.restricted() || PhoneNumbers.looksAnonymous(call.from())) {
            why.add("caller is anonymous");
            return new Caller("", CallerClass.ANONYMOUS, null, false);
        }
        String number = PhoneNumbers.normalizeIncoming(call.from(), client.region());
        Contact contact = entry.contactFor(number);
        Override expect = StatusTimeline.expecting(overrides, number, at);
        CallerClass cls;
        if (expect != null) {
            cls = CallerClass.EXPECTED;
        } else if (contact == null) {
            cls = CallerClass.UNKNOWN;
        } else {
            cls = switch (contact.contactClass()) {
                case VIP -> CallerClass.VIP;
                case BLOCKED -> CallerClass.BLOCKED;
                case NORMAL -> CallerClass.KNOWN;
            };
        }
        StringBuilder sb = new StringBuilder(80).append("caller ").append(number);
        if (contact != null) {
            sb.append(" is contact '").append(contact.name()).append("' (").append(contact.contactClass().word())
                    .append(')');
        } else {
            sb.append(" is unknown");
        }
        why.add(sb.toString());
        if (expect != null) {
            why.add("caller " + number + " is expected" + (expect.until() == null ? "" : " until " + expect.until())
                    + (expect.note() == null || expect.note().isBlank() ? "" : " (" + expect.note() + ")"));
        }
        return new Caller(number, cls, contact, expect != null);
    }

    private static String anonymousWord(String language) {
        return "de".equals(language) ? "anonym" : "anonymous";
    }

    /**
     * A caller not in the book: the number, then the name their own phone sent, marked as no more than what they say
     * ({@code +49301111111 (says: Hans Meier)}): a network's caller name is the caller's to choose, so it never
     * stands alone like a name from the book.
     */
    private static String stranger(String name, String number, String language, String region) {
        if (name == null || name.isBlank() || PhoneNumbers.looksAnonymous(name)) return number;
        String n = name.strip();
        if (n.equals(number) || PhoneNumbers.normalizeIncoming(n, region).equals(number)) return number;
        return number + " (" + ("de".equals(language) ? "sagt" : "says") + ": " + n + ")";
    }

    /**
     * The caller as rules see it. {@code callerClass} is the one reported; {@link #is} answers a rule's
     * {@code caller} condition, where {@code known} includes vip and an expected caller is no longer blocked.
     */
    private record Caller(String number, CallerClass callerClass, Contact contact, boolean expected) {
        boolean is(CallerClass c) {
            ContactClass cc = contact == null ? null : contact.contactClass();
            return switch (c) {
                case ANONYMOUS -> callerClass == CallerClass.ANONYMOUS;
                case EXPECTED -> expected;
                case BLOCKED -> cc == ContactClass.BLOCKED && !expected;
                case VIP -> cc == ContactClass.VIP;
                case KNOWN -> cc != null && cc != ContactClass.BLOCKED;
                case UNKNOWN -> contact == null && callerClass != CallerClass.ANONYMOUS;
            };
        }

        String label(Call call, String language, String region) {
            if (callerClass == CallerClass.ANONYMOUS) return anonymousWord(language);
            if (contact != null) return contact.name();
            return stranger(call.callerName(), number, language, region);
        }
    }
}
