package de.vorzimmer.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | de",
            "en-US,en;q=0.9 | en",
            "de-DE,de;q=0.9,en;q=0.8 | de",
            "fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4 | en",
            "fr | de",
            "de;q=0.3,en;q=0.7 | en"})
    void picksTheMostPreferredSupportedLanguage(String header, String expected) {
        assertThat(Languages.pick(header)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8080 | 127.0.0.1:8080 | true",
            "https://vz.example.org | vz.example.org | true",
            "https://vz.example.org | vz.example.org:443 | true",
            "http://evil.example | 127.0.0.1:8080 | false",
            "http://127.0.0.1:9999 | 127.0.0.1:8080 | false",
            "null | 127.0.0.1:8080 | false"})
    void originMustNameTheHostTheRequestWasSentTo(String origin, String host, boolean same) {
        assertThat(AuthHandler.sameOrigin(origin, host)).isEqualTo(same);
    }
}
