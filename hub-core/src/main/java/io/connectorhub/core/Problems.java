package io.connectorhub.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems while checking a configuration, so all of them are reported at once (up to {@link #MAX}; the
 * rest are counted). Not thread-safe.
 */
public final class Problems {
    /** The most problems kept, so a file of thousands of mistakes yields a readable report. */
    public static final int MAX = 100;

    private final List<ConfigProblem> list = new ArrayList<>();
    private int omitted;

    public void add(String path, String message) {
        if (list.size() < MAX) list.add(new ConfigProblem(path, message));
        else omitted++;
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

    /** The problems, followed by one that counts those beyond {@link #MAX}, if any. */
    public List<ConfigProblem> list() {
        if (omitted == 0) return List.copyOf(list);
        List<ConfigProblem> all = new ArrayList<>(list);
        all.add(new ConfigProblem("", omitted + " more problems not shown: fix these and check again"));
        return List.copyOf(all);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }
}
