package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.phonein.Input;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Where the phone-in line's prompts are played from, and what a hang-up during an entry looks like. */
class PhoneInPromptsTest {
    @ParameterizedTest
    @CsvSource({
            "/usr/local/share/asterisk/sounds/vorzimmer, vorzimmer/phonein-menu, /usr/local/share/asterisk/sounds/vorzimmer/phonein-menu",
            "/vz/sounds/vorzimmer, vm-password, vm-password",
            ", vorzimmer/phonein-menu, vorzimmer/phonein-menu"})
    void ownPromptsComeFromTheFolderAndStockSoundsFromAsterisk(String folder, String sound, String played) {
        assertThat(PhoneInScript.sound(folder, sound)).isEqualTo(played);
    }

    @ParameterizedTest
    @CsvSource({"/vz/sounds/vorzimmer/, /vz/sounds/vorzimmer", "' /vz/sounds ', /vz/sounds"})
    void theFolderIsTakenAsAPath(String value, String folder) {
        assertThat(PhoneInScript.promptFolder(value)).isEqualTo(folder);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "sounds/vorzimmer", "/a b", "/x\"y"})
    void anythingButAnAbsolutePathIsNoFolder(String value) {
        assertThat(PhoneInScript.promptFolder(value)).isNull();
    }

    @Test
    void getDataAnsweringMinusOneIsAHangUp() {
        assertThat(Input.of("-1")).isEqualTo(Input.HANGUP);
        assertThat(Input.of("")).isEqualTo(Input.TIMEOUT);
        assertThat(Input.of("47#")).isEqualTo(new Input.Keys("47#"));
    }
}
