package io.connectorhub.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while checking a configuration, so all of them are reported at once. Not thread-safe. */
public final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    public void add(String path, String message) {
        list.add(new ConfigProblem(path, message));
    }

    /** Adds the problem unless {@code ok}. */
    public void require(boolean ok, String path, String message) {
        if (!ok) add(path, message);
    }

    public void range(long value, long min, long max, String path) {
        require(value >= min && value <= max, path, "must be between " + min + " and " + max + ", is " + value);
    }

    public void positive(java.time.Duration value, String path) {
        require(
                value != null && !value.isNegative() && !value.isZero(),
                path,
                "must be a positive duration such as 30s");
    }

    public List<ConfigProblem> list() {
        return List.copyOf(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }
}
