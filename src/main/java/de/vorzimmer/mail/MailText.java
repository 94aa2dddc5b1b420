package de.vorzimmer.mail;

import de.vorzimmer.book.Client;
import de.vorzimmer.messages.MailSubject;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageState;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The e-mails, from templates per client language (German for {@code de}, English otherwise): one message (caller,
 * number, time in the client's zone, the secretary's note and intake fields, whether it is confirmed, links to the
 * console) and the daily digest. Plain text, and the same as simple HTML. Pure.
 */
public final class MailText {
    /** An e-mail's text parts. */
    public record Mail(String subject, String text, String html) {
        public Mail {
            Objects.requireNonNull(subject, "subject == null");
            Objects.requireNonNull(text, "text == null");
            Objects.requireNonNull(html, "html == null");
        }
    }

    private record Words(String caller, String number, String callBack, String time, String line, String kind,
                         String note, String recording, String missed, String typed, String attached, String state,
                         String unconfirmed, String confirmed, String howToConfirm, String console, String digest,
                         String none, String unconfirmedUrgent, String anonymous, DateTimeFormatter when,
                         DateTimeFormatter day) {
    }

    private static final Words DE = new Words("Anrufer", "Nummer", "Rückruf erbeten", "Zeit", "Leitung", "Art",
            "Notiz", "Sprachnachricht", "Verpasster Anruf", "Notiz der Sekretärin", "Aufnahme im Anhang", "Status",
            "unbestätigt", "bestätigt", "Bestätigen: per SMS mit OK %d oder in der Konsole.", "In der Konsole",
            "Ihre Nachrichten vom %s", "Keine neuen Nachrichten.", "Dringend und noch unbestätigt", "unbekannt",
            DateTimeFormatter.ofPattern("EEEE, dd.MM.yyyy HH:mm", Locale.GERMAN),
            DateTimeFormatter.ofPattern("dd.MM.yyyy", Locale.GERMAN));
    private static final Words EN = new Words("Caller", "Number", "wants a call back", "Time", "Line", "Kind",
            "Note", "Voicemail", "Missed call", "Secretary's note", "recording attached", "State", "unconfirmed",
            "confirmed", "Confirm: reply OK %d by SMS, or in the console.", "In the console",
            "Your messages of %s", "No new messages.", "Urgent and still unconfirmed", "unknown",
            DateTimeFormatter.ofPattern("EEEE, d MMMM yyyy HH:mm", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH));

    private MailText() {
    }

    private static Words words(Client c) {
        return "de".equals(c.language()) ? DE : EN;
    }

    /** Where message {@code id} opens in the console. */
    public static String link(String consoleUrl, long id) {
        return base(consoleUrl) + "/console/#message/" + id;
    }

    private static String base(String consoleUrl) {
        return consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    }

    /** The e-mail about message {@code m}; {@code attached} says whether its recording goes with it. */
    public static Mail message(Client c, Message m, String consoleUrl, boolean attached) {
        Words w = words(c);
        StringBuilder t = new StringBuilder();
        StringBuilder h = new StringBuilder("<html><body style=\"font-family:sans-serif\"><table>");
        String subject = MailSubject.of(c, m);
        t.append(subject).append("\n\n");
        String caller = blank(m.callerName()) ? w.anonymous : m.callerName().strip();
        row(t, h, w.caller, caller);
        if (!blank(m.callerNumber())) {
            row(t, h, w.number, m.callerNumber() + (m.callbackWanted() ? " (" + w.callBack + ")" : ""));
        }
        row(t, h, w.time, w.when.format(m.createdAt().atZone(c.timezone())) + " (" + c.timezone().getId() + ")");
        if (!blank(m.line())) row(t, h, w.line, m.line());
        String kind = m.kind() == MessageKind.RECORDING ? w.recording + (attached ? ", " + w.attached : "")
                : m.kind() == MessageKind.MISSED ? w.missed : w.typed;
        row(t, h, w.kind, kind);
        if (!blank(m.text())) row(t, h, w.note, m.text().strip());
        if (m.intakeJson() != null) {
            JsonObject intake = new JsonObject(m.intakeJson());
            for (String k : intake.fieldNames()) row(t, h, k, String.valueOf(intake.getValue(k)));
        }
        if (m.urgent()) {
            boolean confirmed = m.state().ordinal() >= MessageState.READ.ordinal();
            row(t, h, w.state, confirmed ? w.confirmed : w.unconfirmed + ". " + String.format(w.howToConfirm, m.id()));
        }
        String link = link(consoleUrl, m.id());
        row(t, h, w.console, link);
        h.append("</table></body></html>");
        return new Mail(subject, t.toString(), h.toString().replace(escape(link), "<a href=\"" + escape(link) + "\">"
                + escape(link) + "</a>"));
    }

    /** The digest of {@code day}: the messages since the last one, and the urgent ones still unconfirmed. */
    public static Mail digest(Client c, LocalDate day, List<Message> messages, List<Message> unconfirmed,
                              String consoleUrl) {
        Words w = words(c);
        String subject = "Vorzimmer " + c.shortName() + ": " + String.format(w.digest, w.day.format(day));
        StringBuilder t = new StringBuilder(subject).append("\n\n");
        StringBuilder h = new StringBuilder("<html><body style=\"font-family:sans-serif\"><h3>").append(escape(subject))
                .append("</h3>");
        if (!unconfirmed.isEmpty()) {
            t.append(w.unconfirmedUrgent).append(":\n");
            h.append("<h4>").append(escape(w.unconfirmedUrgent)).append("</h4><ul>");
            for (Message m : unconfirmed) item(t, h, w, c, m, consoleUrl);
            h.append("</ul>");
            t.append('\n');
        }
        if (messages.isEmpty()) {
            t.append(w.none).append('\n');
            h.append("<p>").append(escape(w.none)).append("</p>");
        } else {
            h.append("<ul>");
            for (Message m : messages) item(t, h, w, c, m, consoleUrl);
            h.append("</ul>");
        }
        h.append("</body></html>");
        return new Mail(subject, t.toString(), h.toString());
    }

    private static void item(StringBuilder t, StringBuilder h, Words w, Client c, Message m, String consoleUrl) {
        String who = !blank(m.callerName()) ? m.callerName().strip() : !blank(m.callerNumber()) ? m.callerNumber() : w.anonymous;
        String what = !blank(m.text()) ? m.text().strip() : m.kind() == MessageKind.RECORDING ? w.recording
                : m.kind() == MessageKind.MISSED ? w.missed : "";
        String when = w.when.format(m.createdAt().atZone(c.timezone()));
        String number = blank(m.callerNumber()) ? "" : " (" + m.callerNumber() + ")";
        String link = link(consoleUrl, m.id());
        t.append("- ").append(when).append(' ').append(who).append(number).append(": ").append(what).append("\n  ")
                .append(link).append('\n');
        h.append("<li>").append(escape(when)).append(' ').append(escape(who)).append(escape(number)).append(": ")
                .append(escape(what)).append(" <a href=\"").append(escape(link)).append("\">[").append(m.id())
                .append("]</a></li>");
    }

    private static void row(StringBuilder t, StringBuilder h, String label, String value) {
        t.append(label).append(": ").append(value).append('\n');
        h.append("<tr><th align=\"left\">").append(escape(label)).append("</th><td>").append(escape(value))
                .append("</td></tr>");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
