package de.vorzimmer.messages;

import de.vorzimmer.notify.Gsm7;

import de.vorzimmer.book.Client;
import java.text.Normalizer;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The SMS texts, from templates per client language (German for {@code de}, English otherwise): who called, for
 * which client, when (client's timezone), what about and the number to call back. The "what about" part is cut
 * (at a word where it can, marked {@code ...}) so the whole text fits one segment, counted as {@link Gsm7} does:
 * 160 septets when every character is GSM-7, else 70 UCS-2 units. Typographic characters are folded and accents
 * that GSM-7 lacks are dropped from caller names and texts ({@code é} stays, {@code á} becomes {@code a}), so a
 * pasted text rarely forces UCS-2; if the fixed parts alone do not fit, the text is sent in several segments.
 */
public final class SmsText {
    private static final String ELLIPSIS = "...";
    /** A cut looks back this far for a space, so words are not split where avoidable. */
    private static final int WORD_BACKOFF = 15;

    private SmsText() {
    }

    private record Words(String urgent, String callBack, String phone, String anonymous, String recording,
                         String missed, String digestOne, String digestMany, String more, DateTimeFormatter when,
                         DateTimeFormatter day, String confirm, String unconfirmed) {
    }

    private static final Words DE = new Words("DRINGEND", "Rückruf:", "Tel.", "Unbekannt", "Sprachnachricht",
            "Verpasster Anruf", "Nachricht", "Nachrichten", "weitere",
            DateTimeFormatter.ofPattern("dd.MM. HH:mm", Locale.GERMAN), DateTimeFormatter.ofPattern("dd.MM.", Locale.GERMAN),
            "Bestätigen: OK", "dringend unbestätigt");
    private static final Words EN = new Words("URGENT", "Call back:", "Tel.", "Unknown caller", "Voicemail",
            "Missed call", "message", "messages", "more",
            DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH), DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH),
            "Confirm: OK", "urgent unconfirmed");

    private static Words words(Client c) {
        return "de".equals(c.language()) ? DE : EN;
    }

    /**
     * The SMS about urgent message {@code m} for client {@code c}; a stored message ({@code id > 0}) ends with its
     * short reference, {@code Bestätigen: OK 42}, which a reply quotes to confirm it.
     */
    public static String urgent(Client c, Message m) {
        Objects.requireNonNull(c, "client == null");
        Objects.requireNonNull(m, "message == null");
        Words w = words(c);
        String head = w.urgent + " " + clean(c.shortName()) + ": " + who(w, m) + ", "
                + w.when.format(m.createdAt().atZone(c.timezone()));
        String number = blankToNull(m.callerNumber());
        String tail = number == null ? "" : " " + (m.callbackWanted() ? w.callBack : w.phone) + " " + number;
        if (m.id() > 0) tail += (number == null ? "" : ".") + " " + w.confirm + " " + m.id();
        return fit(head + ".", " " + what(w, m), tail);
    }

    /**
     * The digest of {@code messages} (newest last) for the local day {@code day}: how many, then as many
     * "time who: what" items as fit one segment, then how many more.
     */
    public static String digest(Client c, ZonedDateTime day, List<Message> messages) {
        return digest(c, day, messages, 0);
    }

    /** The digest, its head also counting the client's urgent messages still unconfirmed (when there are any). */
    public static String digest(Client c, ZonedDateTime day, List<Message> messages, int unconfirmedUrgent) {
        Objects.requireNonNull(c, "client == null");
        Words w = words(c);
        int n = messages.size();
        String head = "Vorzimmer " + clean(c.shortName()) + " " + w.day.format(day) + ": " + n + " "
                + (n == 1 ? w.digestOne : w.digestMany)
                + (unconfirmedUrgent > 0 ? ", " + unconfirmedUrgent + " " + w.unconfirmed : "") + ".";
        StringBuilder body = new StringBuilder(head);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            String item = " " + hhmm.format(m.createdAt().atZone(c.timezone())) + " " + who(w, m) + ": "
                    + cut(what(w, m), 40) + (i + 1 < n ? ";" : "");
            int rest = n - i - 1;
            String more = rest > 0 ? " +" + rest + " " + w.more : "";
            if (!Gsm7.fitsOneSegment(body + item + more)) {
                String left = " +" + (n - i) + " " + w.more;
                if (Gsm7.fitsOneSegment(body + left)) body.append(left);
                return body.toString();
            }
            body.append(item);
        }
        return body.toString();
    }

    private static String who(Words w, Message m) {
        String name = blankToNull(m.callerName());
        if (name != null) return clean(name);
        String number = blankToNull(m.callerNumber());
        return number != null ? number : w.anonymous;
    }

    private static String what(Words w, Message m) {
        String text = blankToNull(m.text());
        if (text != null) return clean(text);
        return m.kind() == MessageKind.RECORDING ? w.recording : m.kind() == MessageKind.MISSED ? w.missed : "";
    }

    /**
     * {@code head + what + tail}, with {@code what} cut so the whole fits one segment; {@code what} is dropped
     * entirely when not even a few characters of it fit.
     */
    static String fit(String head, String what, String tail) {
        String full = head + what + tail;
        if (Gsm7.fitsOneSegment(full) || what.isBlank()) return (what.isBlank() ? head + tail : full);
        boolean gsm = Gsm7.isGsm7(full);
        int limit = gsm ? Gsm7.SINGLE_SEPTETS : Gsm7.SINGLE_UCS2;
        int budget = limit - units(head + tail, gsm) - units(ELLIPSIS, gsm);
        if (budget < 8) return head + tail;
        return head + cutTo(what, budget, gsm) + ELLIPSIS + tail;
    }

    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) return text;
        return cutTo(text, maxChars - ELLIPSIS.length(), false) + ELLIPSIS;
    }

    /** The longest prefix of {@code text} within {@code budget} units, ending at a word if one ends nearby. */
    private static String cutTo(String text, int budget, boolean gsm) {
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int len = Character.charCount(cp);
            int cost = gsm ? Gsm7.septets(text.charAt(end)) : len;
            if (used + cost > budget) break;
            used += cost;
            end += len;
        }
        int space = text.lastIndexOf(' ', end);
        if (end < text.length() && space > 0 && end - space <= WORD_BACKOFF) end = space;
        return text.substring(0, end).stripTrailing();
    }

    private static int units(String s, boolean gsm) {
        return gsm ? Gsm7.septetLength(s) : s.length();
    }

    /** One line, typographic characters folded, accents GSM-7 lacks dropped. */
    static String clean(String s) {
        String folded = Gsm7.fold(s.replaceAll("\\s+", " ").strip());
        StringBuilder sb = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (Gsm7.septets(c) > 0) {
                sb.append(c);
                continue;
            }
            String base = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            char b = base.charAt(0);
            sb.append(base.length() > 1 && Gsm7.septets(b) > 0 ? b : c);
        }
        return sb.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
