package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The product's {@code logback.xml}, loaded as the hub loads it. {@code HUB_LOG_FORMAT} and {@code HUB_LOG_LEVEL}
 * are given as context properties, which Logback looks up before the environment, as it would the variables.
 */
class LogConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads logback.xml with {@code properties}, logs through it, and returns the lines written. */
    private static List<String> log(Map<String, String> properties, java.util.function.Consumer<Logger> logging)
            throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogConfigTest.class.getResource("/logback.xml"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ((OutputStreamAppender<?>) root.getAppender("console")).setOutputStream(out);
        logging.accept(context.getLogger("io.connectorhub.app.Hub"));
        assertTrue(
                new StatusUtil(context).getHighestLevel(0) < Status.WARN,
                () -> "logback.xml has problems: " + context.getStatusManager().getCopyOfStatusList());
        context.stop();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textLinesStartWithAnIsoDateAndTimeWithMillisecondsAndOffset() throws Exception {
        List<String> lines = log(Map.of(), l -> l.info("Hub ready"));
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        String stamp = line.substring(0, line.indexOf(' '));
        assertTrue(stamp.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"), line);
        OffsetDateTime.parse(stamp);
        assertTrue(line.endsWith(" INFO  io.connectorhub.app.Hub - Hub ready"), line);
    }

    @Test
    void jsonFormatWritesOneParseableObjectPerEventStackTracesIncluded() throws Exception {
        List<String> lines = log(Map.of("HUB_LOG_FORMAT", "json"), l -> {
            l.info("Channels: {}", "websocket (running)");
            l.error("Something broke", new IllegalStateException("boom\nsecond line"));
        });
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asText());
        assertEquals("io.connectorhub.app.Hub", first.get("loggerName").asText());
        assertEquals(
                "Channels: websocket (running)", first.get("formattedMessage").asText());
        assertTrue(first.get("timestamp").asLong() > 0, lines.get(0));
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("ERROR", second.get("level").asText());
        assertEquals("boom\nsecond line", second.get("throwable").get("message").asText());
    }

    @Test
    void anUnknownFormatFallsBackToText() throws Exception {
        List<String> lines = log(Map.of("HUB_LOG_FORMAT", "xml"), l -> l.info("Hub ready"));
        assertEquals(1, lines.size(), lines.toString());
        assertFalse(lines.get(0).startsWith("{"), lines.get(0));
        assertTrue(lines.get(0).endsWith(" - Hub ready"), lines.get(0));
    }

    @Test
    void hubLogLevelSetsTheLevel() throws Exception {
        List<String> lines = log(Map.of("HUB_LOG_LEVEL", "WARN"), l -> {
            l.info("not shown");
            l.warn("shown");
        });
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(" WARN  ") && lines.get(0).endsWith("shown"), lines.get(0));
    }
}
