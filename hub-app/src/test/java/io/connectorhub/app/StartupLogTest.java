package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.connectorhub.core.testing.LogCapture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupLogTest {
    @TempDir
    Path dir;

    @Test
    void namesEachChannelWithItsStateAndPlatformModeAndWarnsOfAnUnknownLogFormat() throws Exception {
        var config = AdminHarness.config(dir, """
                agents:
                  far: {type: remote, gateways: [gpu-box]}
                routing:
                  defaultAgent: far
                """, List.of(new FakePlatformChannel.Factory()));
        try (AdminHarness hub = AdminHarness.start(config, Clock.systemUTC());
                LogCapture logs = new LogCapture()) {
            StartupLog.write(config, hub.hub.runtime(), "xml");
            StartupLog.write(config, hub.hub.runtime(), "json");
            StartupLog.write(config, hub.hub.runtime(), null);
            List<String> lines = logs.events().stream()
                    .filter(e -> e.getLoggerName().equals(Hub.class.getName()))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                    .toList();
            assertEquals(
                    "WARN HUB_LOG_FORMAT=xml is not a log format; logging text lines (set json or text)", lines.get(0));
            assertEquals(
                    "INFO Channels: fakeplatform (running, polling), websocket (running), hooks (running)",
                    lines.get(1));
            assertEquals("INFO Agents: builtin (builtin), far (remote, gateways gpu-box)", lines.get(2));
            assertEquals("INFO Routing: default far, 0 bindings", lines.get(3));
            assertEquals(10, lines.size(), lines.toString());
            assertEquals(1, logs.atLeast(Level.WARN).size(), "json and an unset variable are no problem");
        }
    }
}
