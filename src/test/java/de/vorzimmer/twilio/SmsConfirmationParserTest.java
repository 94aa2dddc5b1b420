package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which SMS replies confirm an urgent message, and with which reference. */
class SmsConfirmationParserTest {
    @ParameterizedTest(name = "[{index}] \"{0}\" confirms {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "OK | -", "ok | -", "Ok. | -", "OK! | -", "JA | -", "ja | -", "Yes | -", "1 | -", "okay | -",
        "OK 42 | 42", "ok42 | 42", "OK #42 | 42", "OK Ref. 42 | 42", "ja 42 | 42", "1 42 | 42", "  OK   7  | 7",
    })
    void confirmationWordsWithAnOptionalReference(String text, String reference) {
        assertThat(SmsCommandParser.confirmation(text)).get().extracting(SmsCommand.Confirm::reference).isEqualTo(reference);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is no confirmation")
    @ValueSource(strings = {"", "WEG 2h", "STATUS", "OK bis 15:00", "nein", "12", "OK 42 43", "okay then", "2"})
    void everythingElseIsNoConfirmation(String text) {
        assertThat(SmsCommandParser.confirmation(text)).isEmpty();
    }
}
