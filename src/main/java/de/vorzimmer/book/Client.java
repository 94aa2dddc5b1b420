package de.vorzimmer.book;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A client of the firm as the book describes it, with every number already in E.164 and the defaults applied.
 *
 * @param shortName shown on the secretary's phone display
 * @param lines     numbers callers dial, E.164
 * @param reach     where put-through calls ring, E.164, or null when the client takes no put-through calls
 * @param sms       where urgent messages go, E.164; defaults to reach
 * @param pinHash   salted hash of the phone-in PIN (see {@code PinHasher}), or null
 * @param intake    fields the secretary fills in for a message to this client, in book order; may be empty
 * @param digest    local time (client's timezone) of the daily SMS digest of non-urgent messages, or null for none
 * @param calendar  the client's own calendar (busy events make it unavailable), or null
 * @param holidays  the region whose public holidays make it unavailable, or null
 * @param instructions how the secretaries handle this client's calls ("Patienten mit Schmerzen immer durchstellen"),
 *                  shown on the screen-pop; null for none
 * @param email     where messages and the digest go by e-mail, or null for none
 * @param emailFor  which messages go to {@code email}
 * @param oncall    who must confirm urgent messages, in order, as the book lists them; empty: see {@link #onCallAt}
 * @param escalation how unconfirmed urgent messages climb the on-call list (the book's defaults applied)
 */
public record Client(String id, String name, String shortName, String greeting, List<String> lines,
                     String reach, String sms, String region, ZoneId timezone, String language, String pinHash,
                     List<Window> hours, List<Contact> contacts, List<Rule> rules, List<IntakeField> intake,
                     LocalTime digest, CalendarSource calendar, HolidayRegion holidays, String instructions,
                     String email, EmailFor emailFor, List<OnCall> oncall, EscalationPolicy escalation) {
    /** Longest handling instructions a client may have, in characters. */
    public static final int MAX_INSTRUCTIONS = 2000;

    public Client {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(region, "region == null");
        Objects.requireNonNull(timezone, "timezone == null");
        Objects.requireNonNull(language, "language == null");
        shortName = shortName == null ? name : shortName;
        lines = List.copyOf(lines);
        hours = List.copyOf(hours);
        contacts = List.copyOf(contacts);
        rules = List.copyOf(rules);
        intake = intake == null ? List.of() : List.copyOf(intake);
        if (intake.stream().map(IntakeField::name).distinct().count() != intake.size()) {
            throw new IllegalArgumentException("client '" + id + "' lists an intake field twice");
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("client '" + id + "' has no lines");
        if (instructions != null && (instructions.isBlank() || instructions.length() > MAX_INSTRUCTIONS)) {
            throw new IllegalArgumentException("client '" + id + "': instructions must be 1 to " + MAX_INSTRUCTIONS
                    + " characters");
        }
        emailFor = emailFor == null ? EmailFor.DIGEST : emailFor;
        oncall = oncall == null ? List.of() : List.copyOf(oncall);
        escalation = escalation == null ? EscalationPolicy.STANDARD : escalation;
    }

    /** A client without e-mail and with the default on-call list and escalation. */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules, List<IntakeField> intake, LocalTime digest,
                  CalendarSource calendar, HolidayRegion holidays, String instructions) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, intake, digest, calendar, holidays, instructions, null, EmailFor.DIGEST, List.of(),
                EscalationPolicy.STANDARD);
    }

    /** A client without calendar, holidays and handling instructions, with e-mail, on-call list and escalation. */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules, List<IntakeField> intake, LocalTime digest,
                  String email, EmailFor emailFor, List<OnCall> oncall, EscalationPolicy escalation) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, intake, digest, null, null, null, email, emailFor, oncall, escalation);
    }

    /** A client without calendar, holidays and handling instructions (the book before they existed). */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules, List<IntakeField> intake, LocalTime digest) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, intake, digest, null, null, (String) null);
    }

    /** A client without handling instructions. */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules, List<IntakeField> intake, LocalTime digest,
                  CalendarSource calendar, HolidayRegion holidays) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, intake, digest, calendar, holidays, null);
    }

    /** A client without calendar and holidays. */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules, List<IntakeField> intake, LocalTime digest,
                  String instructions) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, intake, digest, null, null, instructions);
    }

    /**
     * Who is on call at {@code t}, in order: the book's {@code oncall} entries that hold then; without an
     * {@code oncall} list one entry made of {@code reach} (else {@code sms}). Empty when nobody can be reached.
     */
    public List<OnCall> onCallAt(Instant t) {
        if (oncall.isEmpty()) {
            String number = reach != null ? reach : sms;
            return number == null ? List.of() : List.of(OnCall.always(shortName, number));
        }
        return oncall.stream().filter(o -> o.holdsAt(t, timezone)).toList();
    }

    /**
     * Where the SMS about an urgent message taken at {@code t} goes: the first person on call then, or the
     * {@code sms} number when the book has no {@code oncall} list (or nobody on it holds then); null for none.
     */
    public String urgentSmsTo(Instant t) {
        if (!oncall.isEmpty()) {
            List<OnCall> now = onCallAt(t);
            if (!now.isEmpty()) return now.get(0).number();
        }
        return sms;
    }

    /** A client without intake fields and without a digest (the book before intake and digest existed). */
    public Client(String id, String name, String shortName, String greeting, List<String> lines, String reach,
                  String sms, String region, ZoneId timezone, String language, String pinHash, List<Window> hours,
                  List<Contact> contacts, List<Rule> rules) {
        this(id, name, shortName, greeting, lines, reach, sms, region, timezone, language, pinHash, hours, contacts,
                rules, List.of(), null, null, null, (String) null);
    }
}
