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
                problems.contains("channels.discord.groupPolicy: must be mention, open or disabled"),
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
        assertEquals(9, problems.size(), all);
    }

    @Test
    void anEnabledTelegramChannelNeedsItsTokenAndAnAllowList() throws IOException {
        Path f = file("""
                channels:
                  telegram:
                    enabled: true
                    mode: webhook
                    groupPolicy: everyone
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        assertTrue(
                problems.contains("channels.telegram.token: is missing: set TELEGRAM_BOT_TOKEN or"
                        + " channels.telegram.token in hub.yaml"),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.telegram.allowFrom: is empty")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("channels.telegram.webhookUrl: is required")),
                problems.toString());
        assertTrue(
                problems.contains("channels.telegram.groupPolicy: must be mention, open or disabled"),
                problems.toString());
    }

    @Test
    void takesTheTelegramTokenFromTheEnvironmentAndNeverShowsIt() throws IOException {
        String token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";
        Path f = file("channels:\n  telegram:\n    enabled: true\n    allowFrom: [42, alice]\n");
        TelegramConfig telegram = new ConfigLoader(Map.of("TELEGRAM_BOT_TOKEN", token))
                .load(f)
                .channels()
                .telegram();
        assertEquals(token, telegram.token());
        assertEquals(List.of("42", "alice"), telegram.allowFrom());
        assertEquals("polling", telegram.mode());
        assertFalse(telegram.toString().contains("ABCdef"), telegram.toString());
    }

    @Test
    void anEnabledFeishuChannelNeedsCredentialsATokenAndAnAllowList() throws IOException {
        Path f = file("""
                channels:
                  feishu:
                    enabled: true
                    domain: larksuite
                    groupPolicy: everyone
                """);
        List<String> problems = problems(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f)));
        for (String key : List.of("appId", "appSecret", "verificationToken", "allowFrom", "domain", "groupPolicy")) {
            assertTrue(
                    problems.stream().anyMatch(p -> p.startsWith("channels.feishu." + key + ": ")),
                    key + " in " + problems);
        }
        assertEquals(6, problems.size(), problems.toString());
    }

    @Test
    void feishuSecretsComeFromTheEnvironmentAndStayOutOfToString() {
        HubConfig config = new ConfigLoader(Map.of(
                        "FEISHU_APP_ID", "cli_a1b2",
                        "FEISHU_APP_SECRET", "app-secret-value",
                        "FEISHU_VERIFICATION_TOKEN", "verification-value",
                        "FEISHU_ENCRYPT_KEY", "encrypt-key-value"))
                .defaults();
        FeishuConfig feishu = config.channels().feishu();
        assertFalse(feishu.enabled());
        assertEquals("app-secret-value", feishu.appSecret());
        assertEquals("https://open.feishu.cn", feishu.openBaseUrl());
        String shown = feishu.toString();
        assertTrue(shown.contains("cli_a1b2"), shown);
        for (String secret : List.of("app-secret-value", "verification-value", "encrypt-key-value")) {
            assertFalse(shown.contains(secret), shown);
        }
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
}
