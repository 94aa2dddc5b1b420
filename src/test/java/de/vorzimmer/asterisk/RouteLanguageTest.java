package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A book language as the name of Asterisk's sound folder the message stage's prompts come from. */
class RouteLanguageTest {
    @ParameterizedTest
    @CsvSource({"de, de", "en, en", "pt-BR, pt_BR", "' fr ', fr"})
    void bookLanguagesNameAsterisksSoundFolders(String book, String asterisk) {
        assertThat(RouteScript.asteriskLanguage(book)).isEqualTo(asterisk);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "d", "de/../../etc", "de,x", "deutsch-sprache-lang"})
    void anythingElseSetsNoLanguage(String book) {
        assertThat(RouteScript.asteriskLanguage(book)).isNull();
    }
}
