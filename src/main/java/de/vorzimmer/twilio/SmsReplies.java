package de.vorzimmer.twilio;

import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.book.Status;
import de.vorzimmer.twilio.SmsCommand.Invalid;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The texts of SMS replies, German or English (the client's language), times in the client's zone. Pure. */
public final class SmsReplies {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_DE = DateTimeFormatter.ofPattern("EE dd.MM.", Locale.GERMAN);
    private static final DateTimeFormatter DAY_EN = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    private final boolean german;
    private final ZonedDateTime now;

    public SmsReplies(String language, ZonedDateTime now) {
        this.german = "de".equals(language);
        this.now = now;
    }

    public static String unknownSender() {
        return "Vorzimmer: Diese Nummer ist keinem Kunden zugeordnet, es wurde nichts geändert. "
                + "/ This number is not registered with Vorzimmer; nothing was changed.";
    }

    public String statusSet(OverrideKind kind, Instant until, Status nowStatus) {
        if (kind == OverrideKind.SCHEDULE) {
            return german ? "Vorzimmer: Es gelten wieder Ihre Sprechzeiten (jetzt: " + word(nowStatus) + ")."
                    : "Vorzimmer: your hours apply again (now: " + word(nowStatus) + ").";
        }
        String word = word(kind.status());
        return german ? "Vorzimmer: Status jetzt " + word + untilText(until) + "."
                : "Vorzimmer: status now " + word + untilText(until) + ".";
    }

    public String expecting(String number, Instant until) {
        return german ? "Vorzimmer: Anrufe von " + number + " werden durchgestellt" + untilText(until) + "."
                : "Vorzimmer: calls from " + number + " will be put through" + untilText(until) + ".";
    }

    public String status(Status status, Instant until, boolean byOverride, List<String> expected) {
        StringBuilder sb = new StringBuilder("Vorzimmer: Status ").append(word(status));
        if (until != null) sb.append(untilText(until));
        else if (!byOverride) sb.append(german ? " (Sprechzeiten)" : " (your hours)");
        sb.append('.');
        if (!expected.isEmpty()) {
            sb.append(german ? " Erwartet: " : " Expecting: ").append(String.join(", ", expected)).append('.');
        }
        return sb.toString();
    }

    public String help() {
        return german ? "Vorzimmer: Befehle: WEG 2h | WEG bis 15:00 | DA | NICHT STÖREN bis morgen 8 | PLAN | "
                + "ERWARTE +49… | STATUS"
                : "Vorzimmer: commands: AWAY 2h | AWAY until 3pm | BACK | DND until tomorrow 8am | SCHEDULE | "
                + "EXPECT +44… | STATUS";
    }

    public String invalid(Invalid invalid) {
        String d = invalid.detail();
        String what = switch (invalid.problem()) {
            case EMPTY -> german ? "Leere Nachricht" : "Empty message";
            case UNKNOWN_COMMAND -> german ? "Unbekannter Befehl \"" + d + "\"" : "Unknown command \"" + d + "\"";
            case BAD_TIME -> german ? "Zeitangabe \"" + d + "\" nicht verstanden" : "Could not read the time \"" + d + "\"";
            case TIME_PASSED -> german ? "\"" + d + "\" liegt nicht in der Zukunft" : "\"" + d + "\" is not in the future";
            case TOO_FAR -> german ? "\"" + d + "\" liegt mehr als 31 Tage voraus" : "\"" + d + "\" is more than 31 days ahead";
            case MISSING_NUMBER -> german ? "Nummer fehlt" : "Number missing";
            case BAD_NUMBER -> german ? "Nummer \"" + d + "\" nicht lesbar" : "Could not read the number \"" + d + "\"";
        };
        String rest = help().substring("Vorzimmer: ".length());
        return "Vorzimmer: " + what + (german ? ", nichts geändert. " : "; nothing changed. ")
                + Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    private String word(Status s) {
        if (s == null) return "?";
        return switch (s) {
            case AVAILABLE -> german ? "erreichbar" : "available";
            case UNAVAILABLE -> german ? "abwesend" : "away";
            case DND -> german ? "nicht stören" : "do not disturb";
        };
    }

    private String untilText(Instant until) {
        if (until == null) return german ? ", bis Sie etwas anderes schicken" : " until you send another command";
        return (german ? " bis " : " until ") + when(until, now.getZone());
    }

    /** {@code 15:00} today, {@code morgen 08:00} / {@code tomorrow 08:00}, else with the date. */
    String when(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        String time = TIME.format(z);
        if (z.toLocalDate().equals(now.toLocalDate())) return time;
        if (z.toLocalDate().equals(now.toLocalDate().plusDays(1))) return (german ? "morgen " : "tomorrow ") + time;
        return (german ? DAY_DE : DAY_EN).format(z) + " " + time;
    }
}
