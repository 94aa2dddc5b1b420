package de.vorzimmer.twilio;

import com.twilio.twiml.voice.Say;
import java.util.Locale;
import java.util.Map;

/**
 * What callers and clients hear, in the client's language (German and English; other languages hear English),
 * and the {@code <Say language>} voice for it: the client's language in the client's region when Twilio has that
 * voice ({@code en} in GB: en-GB), else the language's usual voice.
 */
public record Prompts(String language, Say.Language voice) {
    private static final Map<String, Say.Language> USUAL = Map.of("de", Say.Language.DE_DE, "en", Say.Language.EN_GB,
            "fr", Say.Language.FR_FR, "it", Say.Language.IT_IT, "es", Say.Language.ES_ES, "nl", Say.Language.NL_NL);

    public static Prompts of(String language, String region) {
        String lang = language == null ? "de" : language.toLowerCase(Locale.ROOT);
        Say.Language voice = null;
        if (region != null) {
            try {
                voice = Say.Language.valueOf(lang.toUpperCase(Locale.ROOT) + "_" + region.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                voice = null; // no such voice: take the usual one below
            }
        }
        if (voice == null) voice = USUAL.get(lang);
        boolean german = lang.equals("de");
        // the text is German or English; a voice for another language would mispronounce it
        if (!german && !lang.equals("en")) voice = Say.Language.EN_GB;
        return new Prompts(german ? "de" : "en", voice);
    }

    private boolean german() {
        return language.equals("de");
    }

    public String whisper(String display) {
        return german() ? "Anruf für " + display + ". Zum Annehmen die 1 drücken."
                : "Call for " + display + ". Press 1 to accept.";
    }

    public String hello() {
        return german() ? "Guten Tag." : "Hello.";
    }

    public String leaveMessage() {
        return german() ? "Leider ist gerade niemand erreichbar. Bitte hinterlassen Sie nach dem Signalton eine Nachricht."
                : "Sorry, nobody can take your call right now. Please leave a message after the tone.";
    }

    public String thanks() {
        return german() ? "Vielen Dank für Ihre Nachricht. Auf Wiederhören." : "Thank you for your message. Goodbye.";
    }

    public String nothingRecorded() {
        return german() ? "Es wurde keine Nachricht aufgenommen. Auf Wiederhören." : "No message was recorded. Goodbye.";
    }

    public String rejected() {
        return german() ? "Dieser Anruf kann nicht angenommen werden. Auf Wiederhören." : "This call cannot be taken. Goodbye.";
    }
}
