package io.connectorhub.app.config;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a {@code hub.yaml} for a test and loads it with an empty environment. */
final class HubYaml {
    private HubYaml() {}

    /** {@code dir/hub.yaml}, holding {@code yaml}. */
    static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("hub.yaml"), yaml);
    }

    /** The problems of {@code yaml}: none if it loads; anything thrown but a ConfigException fails the test. */
    static List<ConfigProblem> problems(Path dir, String yaml) throws IOException {
        try {
            new ConfigLoader(Map.of()).load(write(dir, yaml));
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }
}
