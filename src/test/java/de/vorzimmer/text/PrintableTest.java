package de.vorzimmer.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrintableTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain text stays as it is|plain text stays as it is",
        "Müller: Labor Schmidt|Müller: Labor Schmidt",
    })
    void safeTextIsReturnedAsItIs(String in, String out) {
        assertThat(Printable.line(in)).isEqualTo(out).isSameAs(in);
    }

    @Test
    void controlAndReorderingCharactersBecomeVisibleEscapes() {
        assertThat(Printable.line("a\u0007\u001b[31mred\r\nInjected-Log: x")).isEqualTo("a\\u0007\\u001b[31mred\\r\\nInjected-Log: x");
        assertThat(Printable.line("tab\there")).isEqualTo("tab\\there");
        assertThat(Printable.line("evil\u202egnp.exe")).isEqualTo("evil\\u202egnp.exe");
        assertThat(Printable.line("c1\u009bcontrol")).isEqualTo("c1\\u009bcontrol");
        assertThat(Printable.line(null)).isNull();
        assertThat(Printable.clip("x\ny".repeat(50), 20)).hasSize(20).endsWith("...").doesNotContain("\n");
    }

    @Test
    void aLogLineCannotBeForgedThroughALoggedValue() throws Exception {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                getClass().getName(), context.getLogger("forgery"), ch.qos.logback.classic.Level.INFO,
                "message stored from '{}'", null, new Object[] {"Klein\r\nINFO  ConsoleAuth: admin logged in"});
        String line = new de.vorzimmer.server.SafeMessageConverter().convert(event);
        assertThat(line).isEqualTo("message stored from 'Klein\\r\\nINFO  ConsoleAuth: admin logged in'");
        // and the server's log pattern uses it for every line
        try (var in = getClass().getResourceAsStream("/logback.xml")) {
            String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(config).contains("%safeMsg%n").doesNotContain("%msg");
        }
    }
}
