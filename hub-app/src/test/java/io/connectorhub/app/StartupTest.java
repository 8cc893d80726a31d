package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second hub on the data directory of a running one is refused without disturbing it. */
class StartupTest {
    private static final String TOKEN = "startup-test-token-0123456789";

    @TempDir
    Path dir;

    private HubConfig config() throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, """
                server:
                  port: 0
                store:
                  dataDir: %s
                channels:
                  websocket:
                    token: %s
                """.formatted(dir.resolve("data"), TOKEN));
        return new ConfigLoader(Map.of()).load(file);
    }

    private static void answers(Hub hub, String text) {
        try (WsTestClient c = WsTestClient.authorized(hub.port(), TOKEN)) {
            String reply =
                    c.result("chat.send", Map.of("text", text)).get("text").asText();
            assertTrue(reply.startsWith("You said: " + text), reply);
        }
    }

    @Test
    void refusesASecondHubOnTheSameDataDirectoryWhileTheFirstAnswersOn() throws Exception {
        HubConfig config = config();
        try (Hub first = Hub.start(config, Clock.systemUTC())) {
            answers(first, "before");
            HubException refused = assertThrows(
                    HubException.class,
                    () -> Hub.start(config, Clock.systemUTC()).close());
            assertTrue(
                    refused.getMessage()
                            .startsWith("data directory " + dir.resolve("data") + " is in use by another hub"),
                    refused.getMessage());
            answers(first, "after");
        }
    }
}
