package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped {@code logback.xml}: call-scoped lines carry {@code [call ID]}, others nothing. */
class CallTagConverterTest {
    @Test
    void theShippedPatternTagsLinesInsideACallOnly() throws Exception {
        LoggerContext ctx = new LoggerContext();
        JoranConfigurator config = new JoranConfigurator();
        config.setContext(ctx);
        config.doConfigure(CallTagConverterTest.class.getResource("/logback.xml"));
        try {
            AsyncAppender async = (AsyncAppender) ctx.getLogger("ROOT").getAppender("ASYNC");
            @SuppressWarnings("unchecked")
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console =
                    (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) async.getAppender("CONSOLE");
            PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

            assertThat(line(ctx, encoder, Map.of("callId", "1732741234.1")))
                    .endsWith(" INFO  RouteScript [call 1732741234.1]: route: decided\n");
            assertThat(line(ctx, encoder, Map.of())).endsWith(" INFO  RouteScript: route: decided\n");
            assertThat(line(ctx, encoder, Map.of("other", "x"))).endsWith(" INFO  RouteScript: route: decided\n");
        } finally {
            ctx.stop();
        }
    }

    private static String line(LoggerContext ctx, PatternLayoutEncoder encoder, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("de.vorzimmer.asterisk.RouteScript"), Level.INFO,
                "route: {}", null, new Object[] {"decided"});
        e.setMDCPropertyMap(mdc);
        return new String(encoder.encode(e), StandardCharsets.UTF_8);
    }
}
