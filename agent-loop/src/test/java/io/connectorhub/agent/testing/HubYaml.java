package io.connectorhub.agent.testing;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code hub.yaml} for a test and loads it with an empty environment and the channel modules on the test
 * class path. Shared with the channel modules' and hub-app's tests through this module's test-jar.
 */
public final class HubYaml {
    private HubYaml() {}

    /** {@code dir/hub.yaml}, holding {@code yaml}. */
    public static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("hub.yaml"), yaml);
    }

    /** The problems of {@code yaml}: none if it loads; anything thrown but a ConfigException fails the test. */
    public static List<ConfigProblem> problems(Path dir, String yaml) throws IOException {
        try {
            new ConfigLoader(Map.of()).load(write(dir, yaml));
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** The problems of {@code yaml} as {@code ./hub config check} prints them; none if it loads. */
    public static List<String> shown(Path dir, String yaml) throws IOException {
        return problems(dir, yaml).stream().map(ConfigProblem::toString).toList();
    }

    /** The problems {@code e} lists, as {@code ./hub config check} prints them. */
    public static List<String> shown(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }
}
