package io.connectorhub.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Everything logged while it is open, at the levels the test configuration lets through. */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    public LogCapture() {
        events.start();
        root.addAppender(events);
    }

    /** Lines at WARN or ERROR, and lines of any level that carry a stack trace, as "LEVEL logger: message". */
    public List<String> warningsAndStackTraces() {
        return List.copyOf(events.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    /** The formatted messages of every line captured. */
    public List<String> messages() {
        return List.copyOf(events.list).stream()
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(events);
    }
}
