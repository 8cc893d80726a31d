package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.ConfigProblem;
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
    void pointsAtTheLineOfBrokenYaml() throws IOException {
        Path f = file("server:\n  port: [1, 2\n");
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertEquals(
                List.of("server.port: not valid YAML at line 3, column 1: a [ list ] that is not closed with ]"),
                problems);
    }

    @Test
    void saysWhenTheFileIsMissing() {
        List<String> problems = problems(
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(dir.resolve("nope.yaml"))));
        assertTrue(problems.get(0).startsWith("file not found"), problems.toString());
    }

    @Test
    void doesNotEchoLongValuesThatMightBeSecrets() throws IOException {
        Path f = file("server:\n  port: tok-abcdefghijklmnopqrstuvwxyz0123456789\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
        assertFalse(e.getMessage().contains("abcdefghijklmnop"), e.getMessage());
    }

    @Test
    void definesTheBuiltinAgentAsDefaultAndReadsAnLlmAgentWithItsKeyFromTheEnvironment() throws IOException {
        HubConfig defaults = new ConfigLoader(Map.of()).defaults();
        assertEquals("builtin", defaults.routing().defaultAgent());
        assertEquals("builtin", defaults.agents().get("builtin").type());
        assertTrue(defaults.routing().bindings().isEmpty());

        HubConfig config = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-live-0123456789abcdef")).load(file("""
                agents:
                  gpt:
                    type: openai
                    baseUrl: https://api.openai.com/v1
                    apiKey: ${OPENAI_API_KEY:-}
                    model: gpt-4o-mini
                routing:
                  defaultAgent: gpt
                  bindings:
                    - {agent: builtin, channel: websocket, peer: 42}
                """));
        AgentConfig gpt = config.agents().get("gpt");
        assertEquals("sk-live-0123456789abcdef", gpt.apiKey());
        assertEquals(20, gpt.maxHistory());
        assertEquals(Duration.ofSeconds(60), gpt.timeout());
        assertEquals(List.of("current_time", "search_history"), gpt.tools());
        assertTrue(config.agents().containsKey("builtin"), "the built-in agent stays available");
        assertEquals("42", config.routing().bindings().get(0).peer());
        assertFalse(gpt.toString().contains("sk-live"), gpt.toString());
        assertFalse(config.toString().contains("sk-live"));
    }

    @Test
    void reportsBadAgentsAndBindingsWithTheirKeyPaths() throws IOException {
        Path f = file("""
                agents:
                  gpt: {type: openai, temperature: 3, tools: [rm_rf]}
                  far: {type: telepathy}
                routing:
                  defaultAgent: nobody
                  bindings:
                    - {agent: ghost, channel: telegram}
                    - {agent: gpt}
                  choosable: [builtin, phantom]
                gateways:
                  callbackUrl: ftp://x
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        String all = String.join("\n", problems);
        assertTrue(all.contains("agents.gpt.baseUrl: is missing: set the API root"), all);
        assertTrue(all.contains("agents.gpt.model: is missing"), all);
        assertTrue(all.contains("agents.gpt.temperature: must be between 0 and 2"), all);
        assertTrue(all.contains("agents.gpt.tools[0]: is not a built-in tool"), all);
        assertTrue(all.contains("agents.far.type: is not an agent type"), all);
        assertTrue(all.contains("routing.defaultAgent: names an agent that is not defined under agents"), all);
        assertTrue(all.contains("routing.bindings[0].agent: names an agent that is not defined"), all);
        assertTrue(all.contains("routing.bindings[1]: matches everything"), all);
        assertTrue(all.contains("gateways.callbackUrl: must start with http://"), all);
        assertTrue(all.contains("routing.choosable[1]: names an agent that is not defined under agents"), all);
        assertEquals(10, problems.size(), all);
    }

    @Test
    void webhooksRefusePrivateTargetsByDefaultAndCheckTheirLimits() throws IOException {
        WebhooksConfig defaults = new ConfigLoader(Map.of()).defaults().webhooks();
        assertFalse(defaults.allowPrivateTargets());
        assertEquals(8, defaults.maxAttempts());
        assertEquals(List.of("*"), defaults.hooksAllowFrom());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigLoader(Map.of())
                        .load(file("webhooks:\n  maxAttempts: 9\n  hooksAllowFrom: []\n  timeout: 0s\n")));
        List<String> problems = problems(e);
        assertTrue(problems.contains("webhooks.maxAttempts: must be between 1 and 8, is 9"), problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("webhooks.hooksAllowFrom: is empty")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("webhooks.timeout:")), problems.toString());
    }

    @Test
    void refusesAClusterDeadAfterShorterThanTwoHeartbeatsSoALiveInstanceIsNotTakenForDead() throws IOException {
        ClusterConfig defaults = new ConfigLoader(Map.of()).defaults().cluster();
        assertEquals(new ClusterConfig(Duration.ofSeconds(5), Duration.ofSeconds(20)), defaults);
        List<String> problems = problems(assertThrows(
                ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file("cluster:\n  heartbeat: 5s\n  deadAfter: 8s\n"))));
        assertEquals(
                List.of("cluster.deadAfter: must be at least twice cluster.heartbeat (5s), or a live instance that "
                        + "missed one heartbeat would be taken for dead"),
                problems);
    }
}
