package io.connectorhub.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open, at the levels the test configuration lets through. Shared with the other
 * modules' tests through this module's test-jar. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** The events logged so far, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the appender appends under its own lock
            return List.copyOf(appender.list);
        }
    }

    /** The events of {@code level} or above logged so far. */
    public List<ILoggingEvent> atLeast(Level level) {
        return events().stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(level))
                .toList();
    }

    /** Lines at WARN or ERROR, and lines of any level that carry a stack trace, as "LEVEL logger: message". */
    public List<String> warningsAndStackTraces() {
        return events().stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    /** The formatted messages of every line captured. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Each line as its message and, if it has one, its exception's message (where a leaked secret would show). */
    public List<String> lines() {
        return events().stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : " " + e.getThrowableProxy().getMessage()))
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
