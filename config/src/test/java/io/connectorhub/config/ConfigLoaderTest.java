package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("hub.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static List<String> problems(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void runsWithoutAFileOnLoopbackWithTheWebSocketChannel() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertEquals("127.0.0.1", config.server().host());
        assertEquals(18790, config.server().port());
        assertEquals("./data", config.store().dataDir());
        assertTrue(config.channels().websocket().enabled());
        assertEquals(List.of("*"), config.channels().websocket().allowFrom());
        assertEquals(Duration.ofSeconds(30), config.channels().websocket().pingInterval());
    }

    @Test
    void takesPortTokenAndDataDirectoryFromTheEnvironment() {
        HubConfig config = new ConfigLoader(
                        Map.of("HUB_PORT", "9999", "HUB_TOKEN", "0123456789abcdef0123", "HUB_DATA", "/tmp/x"))
                .defaults();
        assertEquals(9999, config.server().port());
        assertEquals("0123456789abcdef0123", config.channels().websocket().token());
        assertEquals("/tmp/x", config.store().dataDir());
    }

    @Test
    void mergesTheFileOverTheDefaultsAndSubstitutesVariables() throws IOException {
        HubConfig config = new ConfigLoader(Map.of("MY_TOKEN", "secret-secret-secret")).load(file("""
                        server:
                          port: 0
                        channels:
                          websocket:
                            token: ${MY_TOKEN}
                            pingInterval: 500ms
                        """));
        assertEquals(0, config.server().port());
        assertEquals("127.0.0.1", config.server().host());
        assertEquals("secret-secret-secret", config.channels().websocket().token());
        assertEquals(Duration.ofMillis(500), config.channels().websocket().pingInterval());
        assertEquals(100, config.channels().websocket().rateLimitPerMinute());
    }

    @Test
    void reportsEveryProblemAtOnceWithItsKeyPath() throws IOException {
        Path f = file("""
                server:
                  prot: 80
                  port: eighty
                store:
                  retention: forever
                bus:
                  inboundCapacity: 0
                channels:
                  websocket:
                    allowFrom: []
                    enabled: maybe
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
        List<String> problems = problems(e);
        assertTrue(
                problems.contains("server.prot: unknown key; valid keys here: host, maxRequestBytes, port"),
                problems.toString());
        assertTrue(problems.contains("server.port: expected a whole number, not \"eighty\""), problems.toString());
        assertTrue(
                problems.contains(
                        "store.retention: expected a duration such as 500ms, 30s, 5m, 2h or 7d, not \"forever\""),
                problems.toString());
        assertTrue(
                problems.contains("channels.websocket.enabled: expected true or false, not \"maybe\""),
                problems.toString());
        assertTrue(problems.contains("bus.inboundCapacity: must be between 1 and 10000000, is 0"), problems.toString());
        assertEquals(5, problems.size(), problems.toString());
    }

    @Test
    void checksValuesOnceTheTypesAreRight() throws IOException {
        Path f = file("""
                bus:
                  inboundCapacity: 0
                channels:
                  websocket:
                    allowFrom: []
                    token: short
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(problems.contains("bus.inboundCapacity: must be between 1 and 10000000, is 0"), problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.websocket.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.websocket.token: is shorter than 16")),
                problems.toString());
    }

    @Test
    void checksAnEnabledDiscordChannel() throws IOException {
        Path f = file("""
                channels:
                  discord:
                    enabled: true
                    groupPolicy: everyone
                    gatewayUrl: http://gateway.example
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("channels.discord.token: is missing: set DISCORD_BOT_TOKEN")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.discord.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.contains("channels.discord.groupPolicy: must be mention, open or disabled, is \"everyone\""),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.discord.gatewayUrl: must be empty")),
                problems.toString());
    }

    @Test
    void takesTheDiscordTokenFromTheEnvironmentAndKeepsItOutOfToString() throws IOException {
        Path f = file("channels:\n  discord:\n    enabled: true\n    allowFrom: [\"42\"]\n");
        HubConfig config = new ConfigLoader(Map.of("DISCORD_BOT_TOKEN", "MTIz.secret-token")).load(f);
        DiscordConfig discord = config.channels().discord();
        assertEquals("MTIz.secret-token", discord.token());
        assertEquals("mention", discord.groupPolicy());
        assertEquals(Duration.ofSeconds(1), discord.streamEditInterval());
        assertFalse(discord.toString().contains("secret"), discord.toString());
        assertFalse(new ConfigLoader(Map.of()).defaults().channels().discord().enabled());
    }

    @Test
    void namesAnUnsetEnvironmentVariable() throws IOException {
        Path f = file("channels:\n  websocket:\n    token: ${NOT_SET_ANYWHERE}\n");
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0)
                .startsWith("channels.websocket.token: environment variable NOT_SET_ANYWHERE is not set"));
    }

    @Test
    void pointsAtTheLineOfBrokenYaml() throws IOException {
        Path f = file("server:\n  port: [1, 2\n");
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(problems.get(0).startsWith("not valid YAML at line"), problems.toString());
    }

    @Test
    void saysWhenTheFileIsMissing() {
        List<String> problems = problems(
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(dir.resolve("nope.yaml"))));
        assertTrue(problems.get(0).startsWith("file not found"), problems.toString());
    }

    @Test
    void doesNotEchoLongValuesThatMightBeSecrets() throws IOException {
        Path f = file("server:\n  port: sk-abcdefghijklmnopqrstuvwxyz0123456789\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
        assertFalse(e.getMessage().contains("abcdefghijklmnop"), e.getMessage());
    }
}
