package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as operators run it: a process started with {@code HUB_LOG_FORMAT=json} and stopped with SIGTERM logs one
 * JSON object per line, says at start which channels, agents and routing it runs (without secrets), and logs each
 * step of its stop.
 */
class HubProcessLogTest {
    private static final String API_KEY = "sk-process-test-0123456789";
    private static final String BASIC_PASSWORD = "basic-password-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void logsJsonLinesTheStartUpSummaryAndEveryStepOfACleanStop() throws Exception {
        int port = HubProcess.freePort();
        Path file = HubProcess.config(dir, port, """
                channels:
                  websocket:
                    token: process-test-ws-token-0123456789
                admin:
                  tokens:
                    - {token: process-test-admin-token-0123456789, scopes: [admin.read]}
                agents:
                  gpt:
                    type: openai
                    baseUrl: http://user:%s@127.0.0.1:9/v1
                    apiKey: %s
                    model: test-model
                routing:
                  bindings:
                    - {agent: gpt, channel: telegram}
                """.formatted(BASIC_PASSWORD, API_KEY));
        Path output = dir.resolve("hub.log");
        Process child = HubProcess.start(file, output, Map.of("HUB_LOG_FORMAT", "json"));
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> HubProcess.healthy(port));
        } finally {
            child.destroy(); // SIGTERM: the shutdown hook stops the hub
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the hub stops on SIGTERM");
        }

        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            if (line.startsWith("Hub ready in ")) continue; // printed by the command, not a log line
            if (firstAdminNotice(line)) continue; // the first admin's password, printed once like a generated token
            JsonNode event = JSON.readTree(line); // throws unless the line is one JSON object
            assertTrue(event.isObject(), line);
            assertTrue(event.has("timestamp") && event.has("level") && event.has("loggerName"), line);
            messages.add(event.get("formattedMessage").asText());
            assertFalse(line.contains(API_KEY) || line.contains(BASIC_PASSWORD), "a secret in the log: " + line);
        }
        assertTrue(messages.contains("Channels: websocket (running), hooks (running)"), messages.toString());
        assertTrue(
                messages.contains("Agents: builtin (builtin), gpt (openai, test-model at http://127.0.0.1:9/v1)"),
                messages.toString());
        assertTrue(messages.contains("Routing: default builtin, 1 binding"), messages.toString());

        List<String> stopping = messages.subList(messages.indexOf("Stopping: HTTP server closed"), messages.size());
        assertEquals(
                List.of(
                        "Stopping: HTTP server closed",
                        "Stopping: agent loop drained",
                        "Stopping: webhook deliveries stopped",
                        "Stopping: channels stopped",
                        "Stopping: store closed"),
                stopping.subList(0, stopping.size() - 1).stream()
                        .filter(m -> m.startsWith("Stopping: "))
                        .toList());
        String last = stopping.get(stopping.size() - 1);
        assertTrue(last.matches("Stopped cleanly in \\d+ ms"), last);
    }

    /** The lines that show the first admin's generated password on the console (not log lines). */
    private static boolean firstAdminNotice(String line) {
        return line.startsWith("Created the user admin ") || line.startsWith("  ") || line.startsWith("Sign in with ");
    }
}
