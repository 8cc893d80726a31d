package io.connectorhub.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which configuration a command uses and why: {@code --config FILE}, else {@code $HUB_CONFIG}, else
 * {@code ./hub.yaml} if it exists, else none (the built-in defaults).
 *
 * @param file the file, or null for the built-in defaults
 * @param origin where the choice came from: {@code --config}, {@code argument}, {@code HUB_CONFIG},
 *     {@code ./hub.yaml} or {@code defaults}
 */
public record ConfigChoice(Path file, String origin) {
    static ConfigChoice of(Path option, Map<String, String> env, Path workDir) {
        if (option != null) return new ConfigChoice(option, "--config");
        String fromEnv = env.get("HUB_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) return new ConfigChoice(Path.of(fromEnv), "HUB_CONFIG");
        Path local = workDir.resolve("hub.yaml");
        if (Files.exists(local)) return new ConfigChoice(local, "./hub.yaml");
        return new ConfigChoice(null, "defaults");
    }

    /** How to name it to a person: {@code hub.yaml (from $HUB_CONFIG)}, {@code built-in defaults (...)}. */
    public String label() {
        return switch (origin) {
            case "defaults" -> "built-in defaults (no --config, $HUB_CONFIG or ./hub.yaml)";
            case "HUB_CONFIG" -> file + " (from $HUB_CONFIG)";
            default -> file.toString();
        };
    }
}
