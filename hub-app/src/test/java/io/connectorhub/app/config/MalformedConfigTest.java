package io.connectorhub.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whatever shape a file has, loading it either succeeds or throws a ConfigException naming the key path. */
class MalformedConfigTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return HubYaml.write(dir, yaml);
    }

    private List<ConfigProblem> problems(String yaml) throws IOException {
        return HubYaml.problems(dir, yaml);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            channels:\\n  telegram:\\n    allowFrom: "*"                 | channels.telegram.allowFrom
            channels:\\n  telegram:\\n    enabled: true\\n    allowFrom: "*" | channels.telegram.allowFrom
            admin:\\n  tokens: ["tok"]                                     | admin.tokens[0]
            admin:\\n  tokens: [null]                                      | admin.tokens[0]
            admin:\\n  tokens: [[a]]                                       | admin.tokens[0]
            admin:\\n  tokens: {token: x}                                  | admin.tokens
            admin:\\n  tokens: [{token: [a]}]                              | admin.tokens[0].token
            admin:\\n  tokens: [{token: 0123456789abcdef0, scopes: admin.read}] | admin.tokens[0].scopes
            admin:\\n  tokens: [{token: 0123456789abcdef0, scopes: [null]}] | admin.tokens[0].scopes[0]
            routing:\\n  bindings: ["x"]                                   | routing.bindings[0]
            routing:\\n  bindings: [null]                                  | routing.bindings[0]
            routing:\\n  bindings: {agent: builtin}                        | routing.bindings
            routing:\\n  defaultAgent: [a]                                 | routing.defaultAgent
            routing: [a]                                                   | routing
            routing:                                                       | routing
            channels: null                                                 | channels
            channels:                                                      | channels
            channels: [a]                                                  | channels
            channels: text                                                 | channels
            channels:\\n  telegram:                                        | channels.telegram
            channels:\\n  telegram: [a]                                    | channels.telegram
            channels:\\n  websocket: 5                                     | channels.websocket
            channels:\\n  telegram:\\n    allowFrom: [[a]]                 | channels.telegram.allowFrom[0]
            channels:\\n  telegram:\\n    allowFrom: [null]                | channels.telegram.allowFrom[0]
            channels:\\n  websocket:\\n    allowFrom: [{a: 1}]             | channels.websocket.allowFrom[0]
            webhooks:\\n  hooksAllowFrom: [null]                           | webhooks.hooksAllowFrom[0]
            agents: [a]                                                    | agents
            agents: null                                                   | agents
            agents: text                                                   | agents
            agents:\\n  gpt: [a]                                           | agents.gpt
            agents:\\n  gpt: text                                          | agents.gpt
            agents:\\n  gpt: {tools: text}                                 | agents.gpt.tools
            agents:\\n  gpt: {type: openai, tools: [null]}                 | agents.gpt.tools[0]
            agents:\\n  gpt: {type: openai, temperature: [1]}              | agents.gpt.temperature
            agents:\\n  gpt: {type: [openai]}                              | agents.gpt.type
            agents:\\n  ? [a]\\n  : {type: builtin}                        | agents
            server: 8080                                                   | server
            server:\\n  port: [1]                                          | server.port
            server:\\n  port: {a: 1}                                       | server.port
            server:\\n  port:                                              | server.port
            server:\\n  port: 99999999999999999999                         | server.port
            store:\\n  retention: [1]                                      | store.retention
            gateways: [a]                                                  | gateways
            [a, b]                                                         | ''
            just text                                                      | ''
            """)
    void reportsAShapeMistakeAsAProblemAtItsKeyPath(String yaml, String path) throws IOException {
        List<ConfigProblem> problems = problems(yaml.replace("\\n", "\n"));
        assertFalse(problems.isEmpty(), "no problem reported");
        assertTrue(problems.stream().anyMatch(p -> p.path().equals(path)), path + " not in " + problems);
        for (ConfigProblem p : problems) {
            for (String internal : List.of("Cannot", "`", "java.", "com.fasterxml", "io.connectorhub", "null")) {
                assertFalse(p.message().contains(internal), p.toString());
            }
        }
    }

    @Test
    void reportsProblemsForRandomlyDamagedFilesWithoutFailingItself() throws IOException {
        String sample = """
                server: {host: 127.0.0.1, port: 8080}
                store:
                  retention: 7d
                admin:
                  tokens: [{token: "0123456789abcdef0123", scopes: [admin.read]}]
                channels:
                  telegram: &bot
                    enabled: true
                    token: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678"
                    allowFrom: ["42", alice]
                  discord:
                    <<: *bot
                    groupPolicy: open
                agents:
                  gpt: {type: openai, baseUrl: "https://api.example/v1", model: m, tools: [current_time]}
                routing:
                  defaultAgent: gpt
                  bindings:
                    - {agent: gpt, channel: telegram, peer: "42"}
                """;
        String characters = ":-[]{}*&!|>'\"#,?%@`\\\t\n ~0a";
        Random random = new Random(13);
        for (int i = 0; i < 150; i++) {
            StringBuilder text = new StringBuilder(sample);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                char c = characters.charAt(random.nextInt(characters.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, c);
                    default -> text.setCharAt(at, c);
                }
            }
            List<ConfigProblem> problems = problems(text.toString());
            assertTrue(
                    problems.stream().noneMatch(p -> p.message().contains("could not be checked")),
                    text + "\n" + problems);
        }
    }

    @Test
    void resolvesAnchorsAliasesAndMergeKeysAsYamlDefinesThem() throws IOException {
        HubConfig config = new ConfigLoader(Map.of()).load(file("""
                channels:
                  discord:
                    enabled: true
                    token: discord-token
                    allowFrom: &owners ["42", "43"]
                  telegram:
                    enabled: true
                    token: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678"
                    allowFrom: *owners
                agents:
                  gpt: &gpt
                    type: openai
                    baseUrl: https://api.openai.com/v1
                    model: gpt-4o-mini
                  gpt-long:
                    maxHistory: 200
                    <<: [*gpt, {stream: false, maxHistory: 5}]
                  echo: *gpt
                """));
        assertEquals(
                List.of("42", "43"),
                config.channels().section("telegram").common().allowFrom());
        assertEquals("gpt-4o-mini", config.agents().get("gpt-long").model());
        assertEquals(200, config.agents().get("gpt-long").maxHistory());
        assertFalse(config.agents().get("gpt-long").stream());
        assertEquals(20, config.agents().get("gpt").maxHistory());
        assertEquals("openai", config.agents().get("echo").type());
    }

    @Test
    void anAliasForAWholeSectionIsCheckedLikeTheSectionItself() throws IOException {
        List<ConfigProblem> problems = problems("""
                channels:
                  discord: &bot {enabled: true, allowFrom: ["*"]}
                  telegram: *bot
                """);
        assertTrue(problems.stream().anyMatch(p -> p.path().equals("channels.telegram.token")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.path().equals("channels.discord.token")), problems.toString());
    }

    @Test
    void refusesAnAliasThatContainsItself() throws IOException {
        List<ConfigProblem> problems = problems("agents: &a\n  gpt: *a\n");
        assertTrue(
                problems.stream()
                        .anyMatch(p ->
                                p.path().equals("agents.gpt") && p.message().contains("itself")),
                problems.toString());
    }

    @Test
    @Timeout(60) // the parser's own merging of such a key never ends
    void refusesAMergeKeyThatContainsItself() throws IOException {
        List<ConfigProblem> problems = problems("agents: &a\n  <<: *a\n");
        assertTrue(
                problems.stream()
                        .anyMatch(
                                p -> p.path().equals("agents.<<") && p.message().contains("itself")),
                problems.toString());
    }

    @Test
    void refusesAMergeKeyThatNamesNoMapping() throws IOException {
        List<ConfigProblem> problems = problems("base: &b [a]\nagents:\n  gpt:\n    <<: *b\n");
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.toString()
                                .equals("agents.gpt.<<: must name a mapping (<<: *name) or"
                                        + " a list of them (<<: [*a, *b])")),
                problems.toString());
    }

    @Test
    void refusesMoreAliasesThanTheLimit() throws IOException {
        StringBuilder yaml = new StringBuilder("agents:\n  a: &a {type: builtin}\n");
        for (int i = 0; i < 60; i++) yaml.append("  b").append(i).append(": *a\n");
        List<ConfigProblem> problems = problems(yaml.toString());
        assertTrue(problems.stream().anyMatch(p -> p.message().contains("more than 50 aliases")), problems.toString());
    }

    @Test
    void refusesABillionLaughsWithinTheAliasLimit() throws IOException {
        // 25 levels of two aliases each: 50 aliases that would expand to 2^25 values.
        StringBuilder yaml = new StringBuilder("webhooks:\n  hooksAllowFrom: &l0 [lol, lol]\nx:\n");
        for (int i = 1; i <= 25; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1);
            yaml.append(", *l").append(i - 1).append("]\n");
        }
        List<ConfigProblem> problems = problems(yaml.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.message().contains("aliases expand to more than 10000 values")),
                problems.toString());
    }

    @Test
    void refusesADuplicateKeyWithItsPathAlongsideTheOtherProblems() throws IOException {
        List<ConfigProblem> problems = problems("""
                admin:
                  tokens: [{token: "0123456789abcdef0123", scopes: [admin.read, admin.write]}]
                server:
                  port: eighty
                channels:
                  telegram:
                    enabled: false
                    enabled: true
                admin:
                  authFailuresPerMinute: 5
                """);
        List<String> shown = problems.stream().map(ConfigProblem::toString).toList();
        assertTrue(shown.contains("admin: duplicate key; each key may appear once per mapping"), shown.toString());
        assertTrue(
                shown.contains("channels.telegram.enabled: duplicate key; each key may appear once per mapping"),
                shown.toString());
        assertTrue(
                shown.stream().anyMatch(p -> p.startsWith("server.port: expected a whole number")), shown.toString());
    }

    @Test
    void refusesAFileThatIsNotUtf8Text() throws IOException {
        Path f = dir.resolve("hub.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
        assertEquals(
                List.of("the file is not UTF-8 text: save it with the UTF-8 encoding"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aFileWithoutDuplicatesStillLoads() throws IOException {
        try {
            HubConfig config = new ConfigLoader(Map.of()).load(file("""
                    admin:
                      tokens: [{token: "0123456789abcdef0123", scopes: [admin.read, admin.write]}]
                      authFailuresPerMinute: 5
                    """));
            assertEquals(1, config.admin().tokens().size());
            assertEquals(5, config.admin().authFailuresPerMinute());
        } catch (ConfigException e) {
            fail(e.getMessage());
        }
    }
}
