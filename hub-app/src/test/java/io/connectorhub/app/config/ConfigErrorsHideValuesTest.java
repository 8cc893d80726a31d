package io.connectorhub.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Problems say where a mistake is and what is wrong with it, never what the file holds there. */
class ConfigErrorsHideValuesTest {
    @TempDir
    Path dir;

    private ConfigException refused(String yaml) throws IOException {
        Path f = HubYaml.write(dir, yaml);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
    }

    private static void assertHidden(ConfigException e) {
        String shown = e.getMessage() + "\n"
                + String.join(
                        "\n", e.problems().stream().map(ConfigProblem::toString).toList());
        assertFalse(shown.contains("SECRET1"), shown);
        assertFalse(shown.contains("sk-S"), shown);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "server:\n  port: 1\n\tapiKey: sk-SECRET123\n", // a tab where YAML wants spaces
                "agents:\n  gpt:\n    apiKey: sk-SECRET123: x\n", // a colon inside a plain value
                "agents:\n  gpt:\n    apiKey: \"sk-SECRET123\\q\"\n", // an unknown escape
                "agents:\n  gpt:\n    apiKey: \"\\USECRET123\"\n", // a bad \\U escape quotes what follows it
                "agents:\n  gpt:\n    apiKey: *sk-SECRET123\n", // an undefined alias quotes its name
                "agents:\n  gpt:\n    apiKey: !sk-SECRET123!x y\n", // an undefined tag handle
                "agents:\n  gpt:\n    apiKey: @sk-SECRET123\n", // a reserved character
                "agents:\n  gpt:\n    apiKey: [sk-SECRET123\n", // an unclosed list
                "agents:\n  gpt:\n    apiKey: 'sk-SECRET123\n", // an unclosed quote
                "agents:\n  gpt:\n    apiKey: \"sk-SECRET123\u0001\"\n", // a control character
                "agents:\n  gpt:\n    apiKey: sk-SECRET123\n  - x\n", // a list item in a mapping
                "agents:\n  gpt:\n    apiKey: sk-SECRET123\n---\nx: 1\n" // two documents
            })
    void syntaxErrorsDoNotQuoteTheLineTheyAreOn(String yaml) throws IOException {
        ConfigException e = refused(yaml);
        assertHidden(e);
        assertEquals(1, e.problems().size(), e.problems().toString());
        String problem = e.problems().get(0).message();
        assertFalse(problem.isBlank());
        assertFalse(problem.contains("line 0") || problem.contains("column 0"), problem);
    }

    @Test
    void aSyntaxErrorNamesItsLineColumnAndKeyPath() throws IOException {
        ConfigException e = refused("""
                server:
                  port: 8080
                agents:
                  gpt:
                    type: openai
                    apiKey: sk-SECRET123: x
                """);
        assertHidden(e);
        assertEquals(
                List.of("agents.gpt: not valid YAML at line 6, column 25: a ': ' where no new key may start;"
                        + " indent the key under its parent, or put a value that contains ': ' in quotes"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "server:\n  port: sk-SECRET123\n",
                "server:\n  host: [sk-SECRET123]\n",
                "store:\n  retention: sk-SECRET123\n",
                "channels:\n  telegram:\n    enabled: sk-SECRET123\n",
                "channels:\n  telegram:\n    enabled: true\n    token:123456:ABC sk-SECRET123\n", // no space after ':'
                "channels:\n  telegram: sk-SECRET123\n",
                "channels:\n  telegram:\n    enabled: true\n    mode: sk-SECRET123\n    groupPolicy: sk-SECRET123\n",
                "channels:\n  discord:\n    enabled: true\n    groupPolicy: sk-SECRET123\n",
                "channels:\n  feishu:\n    enabled: true\n    mode: sk-SECRET123\n    domain: sk-SECRET123\n",
                "admin:\n  tokens: [sk-SECRET123]\n",
                "admin:\n  tokens: [{token: sk-SECRET1234567890, scopes: [sk-SECRET123]}]\n",
                "agents: sk-SECRET123\n",
                "agents:\n  gpt: sk-SECRET123\n",
                "agents:\n  gpt: {type: sk-SECRET123}\n",
                "agents:\n  gpt: {type: openai, tools: [sk-SECRET123]}\n",
                "agents:\n  gpt: {maxHistory: sk-SECRET123}\n",
                "routing:\n  defaultAgent: sk-SECRET123\n",
                "routing:\n  bindings: [sk-SECRET123]\n",
                "routing:\n  bindings: [{agent: sk-SECRET123, channel: telegram}]\n",
                "sk-SECRET123\n"
            })
    void wrongValuesAreNamedByTheirKeyPathWithoutBeingEchoed(String yaml) throws IOException {
        ConfigException e = refused(yaml);
        assertHidden(e);
        e.problems().forEach(p -> assertFalse(p.message().isBlank(), p.toString()));
    }
}
