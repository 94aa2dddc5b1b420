package de.vorzimmer.server;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.vorzimmer.text.Printable;

/**
 * Log pattern word {@code %safeMsg}: the message with control characters escaped ({@link Printable}), so a value that
 * came from outside (a caller's name, a header, a typed note) cannot start a forged log line or send escape sequences
 * to the terminal reading the log. A message without them costs one scan, no copy.
 */
public final class SafeMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Printable.line(event.getFormattedMessage());
    }
}
