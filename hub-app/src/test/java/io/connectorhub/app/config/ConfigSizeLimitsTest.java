package io.connectorhub.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.agent.testing.HubYaml;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversize input is refused before it can cost the hub time or memory. */
class ConfigSizeLimitsTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws IOException {
        return HubYaml.problems(dir, yaml).stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void refusesAFileOverOneMebibyteByItsSizeAlone() throws IOException {
        // Starts with a tab, a syntax error the parser would report if it read the file.
        String yaml = "\tserver:\n  host: " + "a".repeat(2 << 20) + "\n";
        assertEquals(
                List.of("the file is " + yaml.length() + " bytes; a configuration file may be at most 1048576 bytes"
                        + " (1 MiB)"),
                problems(yaml));
    }

    @Test
    void refusesAValueOver64KibibytesNamingWhereItIs() throws IOException {
        List<String> problems = problems(
                "server:\n  port: 8080\nchannels:\n  telegram:\n    token: sk-" + "x".repeat(100 << 10) + "\n");
        assertEquals(
                List.of("channels.telegram.token: the value at line 5, column 12 is longer than 65536 characters"
                        + " (64 KiB), the most a value may have"),
                problems);
    }

    @Test
    void refusesAnOversizeKey() throws IOException {
        List<String> problems = problems("server:\n  ? " + "k".repeat(100 << 10) + "\n  : 1\n");
        assertEquals(
                List.of("server: the key at line 2, column 5 is longer than 65536 characters (64 KiB), the most a"
                        + " value may have"),
                problems);
    }

    @Test
    void refusesNestingDeeperThanTheLimit() throws IOException {
        List<String> problems = problems("agents: " + "[".repeat(60) + "]".repeat(60) + "\n");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(
                "agents" + "[0]".repeat(48)
                        + ": not valid YAML at line 1, column 58: lists and mappings nest deeper than" + " 50 levels",
                problems.get(0));
    }

    @Test
    void reportsAtMostAHundredProblemsAndCountsTheRest() throws IOException {
        StringBuilder yaml = new StringBuilder("server:\n");
        for (int i = 0; i < 250; i++) yaml.append("  port: ").append(i).append('\n');
        List<String> problems = problems(yaml.toString());
        assertEquals(101, problems.size());
        assertEquals("server.port: duplicate key; each key may appear once per mapping", problems.get(99));
        assertEquals("149 more problems not shown: fix these and check again", problems.get(100));
    }
}
