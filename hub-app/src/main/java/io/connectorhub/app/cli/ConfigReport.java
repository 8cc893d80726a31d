package io.connectorhub.app.cli;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ConfigProblem;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What reading one configuration gave: the configuration, or every problem with it. Printed the same way by
 * {@code config check} and {@code doctor}.
 *
 * @param config the configuration, or null when there are problems
 */
record ConfigReport(ConfigChoice choice, HubConfig config, List<ConfigProblem> problems) {
    ConfigReport {
        problems = List.copyOf(problems);
    }

    static ConfigReport read(ConfigChoice choice, Map<String, String> env) {
        try {
            return new ConfigReport(choice, new ConfigLoader(env).load(choice.file()), List.of());
        } catch (ConfigException e) {
            return new ConfigReport(choice, null, e.problems());
        }
    }

    boolean ok() {
        return problems.isEmpty();
    }

    /** {@code hub.yaml: OK}, or {@code hub.yaml: 3 problems} and one indented line per problem. */
    void print(PrintWriter out) {
        out.println(summary());
        for (ConfigProblem p : problems) out.println("  " + p);
    }

    String summary() {
        return choice.label() + ": " + (ok() ? "OK" : problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
    }

    /** {@code {file, from, ok, problems: [{path, message}]}}; {@code file} is null for the built-in defaults. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", choice.file() == null ? null : choice.file().toString());
        m.put("from", choice.origin());
        m.put("ok", ok());
        m.put(
                "problems",
                problems.stream()
                        .map(p -> Map.of("path", p.path(), "message", p.message()))
                        .toList());
        return m;
    }
}
