package de.vorzimmer.phonein;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PromptCatalogueTest {
    @ParameterizedTest
    @EnumSource(Phrase.class)
    void everyPhraseHasGermanAndEnglish(Phrase p) {
        PromptCatalogue c = PromptCatalogue.standard();
        for (String lang : PromptCatalogue.LANGUAGES) {
            assertThat(c.text(p, lang)).isNotBlank();
            assertThat(c.sound(p, lang)).matches("[A-Za-z0-9_/-]+");
        }
        assertThat(c.text(p, "de")).isNotEqualTo(c.text(p, "en"));
    }

    /** scripts/phonein-prompts was run after the last change of a text: every own prompt has its sound file. */
    @ParameterizedTest
    @EnumSource(Phrase.class)
    void everyOwnPromptHasAGeneratedSoundFile(Phrase p) {
        for (String lang : PromptCatalogue.LANGUAGES) {
            String sound = PromptCatalogue.standard().sound(p, lang);
            if (!sound.startsWith("vorzimmer/")) continue;
            assertThat(Path.of("asterisk-config/sounds", lang, sound + ".gsm")).as("run scripts/phonein-prompts").isNotEmptyFile();
        }
    }

    @Test
    void otherLanguagesHearEnglish() {
        assertThat(PromptCatalogue.language("fr")).isEqualTo("en");
        assertThat(PromptCatalogue.language("de-AT")).isEqualTo("de");
        assertThat(PromptCatalogue.language(null)).isEqualTo("en");
    }

    @Test
    void incompleteTableIsRefusedNamingWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PromptCatalogue.parse("WELCOME\tde\tx\tHallo\n"));
        assertThat(e.getMessage()).contains("ENTER_CODE has no de entry");
        e = assertThrows(IllegalStateException.class, () -> PromptCatalogue.parse("NOPE\tde\tx\ty\n"));
        assertThat(e.getMessage()).contains("line 1").contains("unknown phrase NOPE");
    }
}
