package io.connectorhub.channel.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels.websocket} as hub.yaml sets it, read by the configuration loader with this module installed. */
class WebSocketSettingsTest {
    private static final String NAME = WebSocketChannel.NAME;

    @TempDir
    Path dir;

    @Test
    void runsWithoutAFileOnLoopbackWithTheWebSocketChannel() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertEquals("127.0.0.1", config.server().host());
        assertEquals(18790, config.server().port());
        assertEquals("./data", config.store().dataDir());
        assertTrue(config.channels().section(NAME).common().enabled());
        assertEquals(List.of("*"), config.channels().section(NAME).common().allowFrom());
        assertEquals(
                Duration.ofSeconds(30),
                config.channels().settings(NAME, WebSocketSettings.class).pingInterval());
    }

    @Test
    void takesPortTokenAndDataDirectoryFromTheEnvironment() {
        HubConfig config = new ConfigLoader(
                        Map.of("HUB_PORT", "9999", "HUB_TOKEN", "0123456789abcdef0123", "HUB_DATA", "/tmp/x"))
                .defaults();
        assertEquals(9999, config.server().port());
        assertEquals(
                "0123456789abcdef0123",
                config.channels().settings(NAME, WebSocketSettings.class).token());
        assertEquals("/tmp/x", config.store().dataDir());
    }

    @Test
    void mergesTheFileOverTheDefaultsAndSubstitutesVariables() throws IOException {
        HubConfig config = new ConfigLoader(Map.of("MY_TOKEN", "secret-secret-secret")).load(HubYaml.write(dir, """
                        server:
                          port: 0
                        channels:
                          websocket:
                            token: ${MY_TOKEN}
                            pingInterval: 500ms
                        """));
        WebSocketSettings websocket = config.channels().settings(NAME, WebSocketSettings.class);
        assertEquals(0, config.server().port());
        assertEquals("127.0.0.1", config.server().host());
        assertEquals("secret-secret-secret", websocket.token());
        assertEquals(Duration.ofMillis(500), websocket.pingInterval());
        assertEquals(100, websocket.rateLimitPerMinute());
    }

    @Test
    void reportsEveryProblemAtOnceWithItsKeyPath() throws IOException {
        Path f = HubYaml.write(dir, """
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
        List<String> problems = HubYaml.shown(e);
        assertTrue(
                problems.contains(
                        "server.prot: unknown key; valid keys here: host, maxRequestBytes, port, trustedProxies"),
                problems.toString());
        assertTrue(problems.contains("server.port: expected a whole number"), problems.toString());
        assertTrue(
                problems.contains("store.retention: expected a duration such as 500ms, 30s, 5m, 2h or 7d"),
                problems.toString());
        assertTrue(problems.contains("channels.websocket.enabled: expected true or false"), problems.toString());
        assertTrue(problems.contains("bus.inboundCapacity: must be between 1 and 10000000, is 0"), problems.toString());
        assertEquals(5, problems.size(), problems.toString());
    }

    @Test
    void checksValuesOnceTheTypesAreRight() throws IOException {
        Path f = HubYaml.write(dir, """
                bus:
                  inboundCapacity: 0
                channels:
                  websocket:
                    allowFrom: []
                    token: short
                """);
        List<String> problems =
                HubYaml.shown(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(problems.contains("bus.inboundCapacity: must be between 1 and 10000000, is 0"), problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.websocket.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.websocket.token: is shorter than 16")),
                problems.toString());
    }

    @Test
    void namesAnUnsetEnvironmentVariable() throws IOException {
        Path f = HubYaml.write(dir, "channels:\n  websocket:\n    token: ${NOT_SET_ANYWHERE}\n");
        List<String> problems =
                HubYaml.shown(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0)
                .startsWith("channels.websocket.token: environment variable NOT_SET_ANYWHERE is not set"));
    }

    @Test
    void defaultsTrustNoProxyCapUnauthenticatedWebSocketsAndKeepGatewaysPublic() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertEquals(List.of(), config.server().trustedProxies());
        assertEquals(
                16, config.channels().settings(NAME, WebSocketSettings.class).maxUnauthenticatedPerIp());
        assertFalse(config.gateways().allowPrivateTargets());
        assertFalse(config.webhooks().allowPrivateTargets());
        assertEquals(List.of(), config.runtimeSettings().trustedProxies());
        assertEquals(10, config.runtimeSettings().authFailuresPerMinute());
    }

    @Test
    void refusesAnUnauthenticatedWebSocketCapBelowOne() throws IOException {
        assertEquals(
                List.of("channels.websocket.maxUnauthenticatedPerIp: must be between 1 and 1000000, is 0"),
                HubYaml.shown(dir, """
                        channels:
                          websocket:
                            maxUnauthenticatedPerIp: 0
                        """));
    }
}
