package de.vorzimmer.phonein;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
