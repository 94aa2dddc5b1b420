package de.vorzimmer.phonein;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The phone-in prompts in German and English, read from {@code phonein/phrases.tsv} (one table for the Java side and
 * for {@code scripts/phonein-prompts}, which turns the texts into sound files). Any other language hears English.
 */
public final class PromptCatalogue {
    public static final String RESOURCE = "/phonein/phrases.tsv";
    public static final List<String> LANGUAGES = List.of("de", "en");
    private static final PromptCatalogue STANDARD = load();

    /** One prompt in one language: the Asterisk sound file (no extension) and the spoken text. */
    public record Entry(String sound, String text) {
        public Entry {
            Objects.requireNonNull(sound, "sound == null");
            Objects.requireNonNull(text, "text == null");
        }
    }

    private final Map<String, Map<Phrase, Entry>> byLanguage;

    private PromptCatalogue(Map<String, Map<Phrase, Entry>> byLanguage) {
        this.byLanguage = byLanguage;
    }

    public static PromptCatalogue standard() {
        return STANDARD;
    }

    /** {@code de} or {@code en}: the language the line speaks for a client whose book language is {@code language}. */
    public static String language(String language) {
        String l = language == null ? "" : language.toLowerCase(Locale.ROOT);
        int dash = l.indexOf('-');
        if (dash > 0) l = l.substring(0, dash);
        return LANGUAGES.contains(l) ? l : "en";
    }

    public Entry entry(Phrase phrase, String language) {
        Entry e = byLanguage.get(language(language)).get(phrase);
        if (e == null) throw new IllegalStateException("phrase " + phrase + " has no " + language(language) + " entry");
        return e;
    }

    public String text(Phrase phrase, String language) {
        return entry(phrase, language).text();
    }

    public String sound(Phrase phrase, String language) {
        return entry(phrase, language).sound();
    }

    static PromptCatalogue parse(String tsv) {
        Map<String, Map<Phrase, Entry>> m = new HashMap<>();
        for (String l : LANGUAGES) m.put(l, new EnumMap<>(Phrase.class));
        int n = 0;
        for (String line : tsv.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 4) throw new IllegalStateException(RESOURCE + " line " + n + ": expected 4 tab-separated fields");
            Phrase p;
            try {
                p = Phrase.valueOf(f[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": unknown phrase " + f[0], e);
            }
            Map<Phrase, Entry> lang = m.get(f[1]);
            if (lang == null) throw new IllegalStateException(RESOURCE + " line " + n + ": language " + f[1] + ", expected " + LANGUAGES);
            if (lang.put(p, new Entry(f[2].strip(), f[3].strip())) != null) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": " + f[0] + "/" + f[1] + " twice");
            }
        }
        for (String l : LANGUAGES) {
            for (Phrase p : Phrase.values()) {
                if (!m.get(l).containsKey(p)) throw new IllegalStateException(RESOURCE + ": " + p + " has no " + l + " entry");
            }
        }
        return new PromptCatalogue(m);
    }

    private static PromptCatalogue load() {
        try (InputStream in = PromptCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
