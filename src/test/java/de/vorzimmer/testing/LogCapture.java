package de.vorzimmer.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The log lines one class writes during each test, in {@link #list}: attached to that class's logger before the test
 * (and its {@code @BeforeEach} methods), detached after it. A test class registers it on an instance field:
 * {@code @RegisterExtension final LogCapture log = new LogCapture(BookStore.class);}
 */
public final class LogCapture extends ListAppender<ILoggingEvent> implements BeforeEachCallback, AfterEachCallback {
    private final Logger logger;

    public LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
    }

    @java.lang.Override
    public void beforeEach(ExtensionContext context) {
        list.clear();
        start();
        logger.addAppender(this);
    }

    @java.lang.Override
    public void afterEach(ExtensionContext context) {
        logger.detachAppender(this);
        stop();
    }
}
