package de.vorzimmer.escalation;

import de.vorzimmer.book.Client;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What the escalation says, German for {@code de}, English otherwise: call-out prompts and SMS replies. Pure. */
final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final boolean german;

    Texts(String language) {
        this.german = "de".equals(language);
    }

    String intro(Client c, Message m) {
        String who = m.callerName() != null && !m.callerName().isBlank() ? m.callerName().strip() : null;
        String number = m.callerNumber() == null || m.callerNumber().isBlank() ? null : spaced(m.callerNumber());
        String time = TIME.format(m.createdAt().atZone(c.timezone()));
        StringBuilder sb = new StringBuilder();
        if (german) {
            sb.append("Dringende Nachricht ").append(m.id()).append(" für ").append(c.name()).append(". ");
            sb.append("Von ").append(who != null ? who : number != null ? number : "unbekannt");
            if (who != null && number != null) sb.append(", Telefon ").append(number);
            sb.append(", um ").append(time).append(" Uhr.");
        } else {
            sb.append("Urgent message ").append(m.id()).append(" for ").append(c.name()).append(". ");
            sb.append("From ").append(who != null ? who : number != null ? number : "an unknown caller");
            if (who != null && number != null) sb.append(", phone ").append(number);
            sb.append(", at ").append(time).append(".");
        }
        if (m.kind() == MessageKind.MISSED && (m.text() == null || m.text().isBlank())) {
            sb.append(german ? " Verpasster Anruf ohne Nachricht." : " A missed call, no message left.");
        }
        return sb.toString();
    }

    String choice() {
        return german ? "Drücken Sie 1, um die Nachricht zu bestätigen, oder 2, um sie noch einmal zu hören."
                : "Press 1 to confirm this message, or 2 to hear it again.";
    }

    String confirmed() {
        return german ? "Danke. Die Nachricht ist bestätigt. Auf Wiederhören." : "Thank you. The message is confirmed. Goodbye.";
    }

    String goodbye() {
        return german ? "Die Nachricht ist nicht bestätigt. Auf Wiederhören." : "The message is not confirmed. Goodbye.";
    }

    String smsConfirmed(long messageId, String clientShort) {
        return german ? "Vorzimmer: Nachricht " + messageId + " (" + clientShort + ") ist bestätigt. Danke."
                : "Vorzimmer: message " + messageId + " (" + clientShort + ") is confirmed. Thank you.";
    }

    String smsAlreadyConfirmed(long messageId) {
        return german ? "Vorzimmer: Nachricht " + messageId + " war schon bestätigt."
                : "Vorzimmer: message " + messageId + " was confirmed already.";
    }

    String smsNoSuchReference(String reference) {
        return german ? "Vorzimmer: Keine offene Nachricht " + reference + " für diese Nummer, nichts geändert."
                : "Vorzimmer: no open message " + reference + " for this number; nothing changed.";
    }

    String smsNothingOpen() {
        return german ? "Vorzimmer: Keine offene dringende Nachricht für diese Nummer, nichts geändert."
                : "Vorzimmer: no open urgent message for this number; nothing changed.";
    }

    String smsWhich(List<Long> open) {
        String refs = String.join(", ", open.stream().map(String::valueOf).toList());
        return german ? "Vorzimmer: Mehrere offene Nachrichten (" + refs + "), nichts geändert. Antworten Sie z. B. OK "
                + open.get(0) + "." : "Vorzimmer: several open messages (" + refs + "); nothing changed. Reply e.g. OK "
                + open.get(0) + ".";
    }

    static String unknownNumber() {
        return "Vorzimmer: Diese Nummer ist nicht im Bereitschaftsdienst, nichts geändert. "
                + "/ This number is not on call for any client; nothing changed.";
    }

    /** A number read digit by digit: "+49 3 0 9 8 ..." is easier to note down than "four hundred ninety ...". */
    private static String spaced(String number) {
        StringBuilder sb = new StringBuilder();
        for (char ch : number.toCharArray()) {
            if (Character.isDigit(ch)) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(ch);
            }
        }
        return (number.startsWith("+") ? "plus " : "") + sb;
    }
}
