package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgiVariablesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "screen|screen",
            "'Zahnarztpraxis Dr. Müller, guten Tag.'|'Zahnarztpraxis Dr. Müller\\, guten Tag.'",
            "'Müller (Praxis: Labor [vip]'|'Müller \\(Praxis: Labor \\[vip\\]'",
            "'a=b'|'a=b'",
            "'PJSIP/anna&Local/+49170@vorzimmer-reach'|'PJSIP/anna&Local/+49170@vorzimmer-reach'",
            "'back\\slash \"quoted\"'|'back\\\\slash \\\"quoted\\\"'",
            "''|''",
    })
    void escapesWhatAsteriskSplitsOn(String value, String encoded) {
        assertThat(AgiVariables.msetArgument(Map.of("VZ_X", value))).isEqualTo("VZ_X=" + encoded);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "screen",
            "'Zahnarztpraxis Dr. Müller, guten Tag.'",
            "'back\\slash \"quoted\" (x) [y] ${EXTEN} | ü'",
            "'two\nlines'",
            "''",
    })
    void commandLineIsTheOneAsteriskJavaWouldSend(String value) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("VZ_DISPLAY", value);
        vars.put("VZ_ACTION", "screen");
        String expected = new ExecCommand("MSet", AgiVariables.msetArgument(vars)).buildCommand();
        assertThat(AgiVariables.msetCommand(vars).buildCommand()).isEqualTo(expected);
    }

    @Test
    void keepsTheOrderSoTheActionComesLast() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("VZ_CLIENT", "mueller");
        vars.put("VZ_DISPLAY", "Müller: +49309876543");
        vars.put("VZ_ACTION", "screen");
        assertThat(AgiVariables.msetArgument(vars))
                .isEqualTo("VZ_CLIENT=mueller,VZ_DISPLAY=Müller: +49309876543,VZ_ACTION=screen");
    }

    @Test
    void badVariableNameForbidden() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgiVariables.msetArgument(Map.of("VZ X", "1")));
        assertThat(e).hasMessage("variable name 'VZ X' is not [A-Za-z0-9_]+");
    }

    @Test
    void nothingToSetForbidden() {
        assertThrows(IllegalArgumentException.class, () -> AgiVariables.msetArgument(Map.of()));
    }
}
