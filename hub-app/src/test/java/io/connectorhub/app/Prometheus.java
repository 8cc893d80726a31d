package io.connectorhub.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (version 0.0.4), to look series up by name and exact label set. The
 * {@code hub_instance} label, which every series of a hub carries, is left out of the label sets.
 */
record Prometheus(List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {}

    static Prometheus parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) throw new AssertionError("not a sample line: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.put(l.group(1), l.group(2));
                labels.remove("hub_instance");
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new Prometheus(samples);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    boolean has(String name, Map<String, String> labels) {
        return samples.stream()
                .anyMatch(s -> s.name().equals(name) && s.labels().equals(labels));
    }

    /** The value of the series with exactly these labels; fails if there is none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + labels + "; series of that name: "
                        + samples.stream()
                                .filter(s -> s.name().equals(name))
                                .map(Sample::labels)
                                .toList()))
                .value();
    }
}
