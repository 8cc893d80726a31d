package io.connectorhub.config;

import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.HubException;
import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot be used; {@link #problems()} lists everything wrong with it, each with its key path. */
public final class ConfigException extends HubException {
    private final List<ConfigProblem> problems;

    public ConfigException(String source, List<ConfigProblem> problems) {
        super("invalid configuration " + source + ":\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
