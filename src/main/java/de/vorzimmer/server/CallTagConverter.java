package de.vorzimmer.server;


import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.vorzimmer.calls.CallTag;
import java.util.Map;

/**
 * Log pattern word {@code %callTag}: {@code " [call ID]"} for lines logged inside a call (MDC key
 * {@code callId}), nothing otherwise. The call path logs one line per decision; this costs a map lookup where
 * a {@code %replace} of the tag would run a regular expression over every line.
 */
public final class CallTagConverter extends ClassicConverter {


    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        String id = mdc == null ? null : mdc.get(CallTag.MDC_KEY);
        return id == null || id.isEmpty() ? "" : " [call " + id + "]";
    }
}
