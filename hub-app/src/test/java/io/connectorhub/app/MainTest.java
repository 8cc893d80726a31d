package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private String capture(List<String> args, int expectedExit) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedExit, Main.run(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void configCheckListsEveryProblemWithItsKeyPath() throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, "server:\n  port: 99999\n  hots: x\nchannels:\n  websocket:\n    pingInterval: soon\n");
        String out = capture(List.of("config", "check", file.toString()), 1);
        assertTrue(out.contains("3 problems"), out);
        assertTrue(out.contains("server.port: must be between 0 and 65535, is 99999"), out);
        assertTrue(out.contains("server.hots: unknown key"), out);
        assertTrue(out.contains("channels.websocket.pingInterval: expected a duration"), out);
    }

    @Test
    void configCheckAcceptsAGoodFile() throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, "server:\n  port: 8080\n");
        assertTrue(capture(List.of("config", "check", file.toString()), 0).contains("OK"));
    }

    @Test
    void printsTheDefaults() throws Exception {
        assertTrue(capture(List.of("config", "defaults"), 0).contains("port: ${HUB_PORT:-18790}"));
    }
}
