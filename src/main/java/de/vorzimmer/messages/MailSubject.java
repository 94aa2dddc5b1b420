package de.vorzimmer.messages;

import de.vorzimmer.book.Client;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The subject line of the e-mail about one message, in the client's language, time in the client's zone. */
public final class MailSubject {
    private static final DateTimeFormatter DE = DateTimeFormatter.ofPattern("dd.MM. HH:mm", Locale.GERMAN);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    private MailSubject() {
    }

    public static String of(Client c, Message m) {
        boolean de = "de".equals(c.language());
        String who = m.callerName() != null && !m.callerName().isBlank() ? m.callerName().strip()
                : m.callerNumber() != null && !m.callerNumber().isBlank() ? m.callerNumber()
                : de ? "Unbekannt" : "Unknown caller";
        String when = (de ? DE : EN).format(m.createdAt().atZone(c.timezone()));
        String head = m.urgent() ? (de ? "DRINGEND: " : "URGENT: ") : "";
        String ref = m.id() > 0 ? " [" + m.id() + "]" : "";
        String text = de ? head + "Nachricht für " + c.shortName() + " von " + who + ", " + when + ref
                : head + "Message for " + c.shortName() + " from " + who + ", " + when + ref;
        return text.replaceAll("[\\r\\n\\t]+", " ");
    }
}
