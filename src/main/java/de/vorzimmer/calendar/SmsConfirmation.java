package de.vorzimmer.calendar;

import de.vorzimmer.book.Client;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The text of the SMS that confirms a booked appointment to the caller, in the client's language (de, else en). */
public final class SmsConfirmation {
    private SmsConfirmation() {
    }

    public static String text(Client c, Appointment a) {
        boolean de = "de".equals(c.language());
        Locale locale = de ? Locale.GERMAN : Locale.ENGLISH;
        DateTimeFormatter when = DateTimeFormatter.ofPattern(de ? "EEE dd.MM.yyyy 'um' HH:mm" : "EEE d MMM yyyy 'at' HH:mm", locale);
        String at = when.format(a.start().atZone(c.timezone()));
        return de ? "Ihr Termin bei " + c.name() + ": " + at + " (" + a.title() + "). Bitte sagen Sie ab, falls Sie "
                + "verhindert sind."
                : "Your appointment with " + c.name() + ": " + at + " (" + a.title() + "). Please let us know if you "
                + "cannot come.";
    }
}
