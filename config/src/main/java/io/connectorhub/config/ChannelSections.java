package io.connectorhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code channels} part of the configuration, from the installed channel modules: their defaults (as a tree and
 * as text) and the binding of each {@code channels.<name>} to the common keys and the module's settings record. A
 * module that is not usable (a bad name, a name taken twice, missing or broken defaults) is a problem, not an
 * exception. Immutable.
 */
final class ChannelSections {
    private static final String NAME = "[A-Za-z][A-Za-z0-9]*";

    private final List<ChannelFactory<?>> factories;

    /** @param factories the installed channel modules; they are kept in the order of their names */
    ChannelSections(List<ChannelFactory<?>> factories) {
        this.factories = factories.stream()
                .sorted(Comparator.comparing(ChannelFactory::name))
                .toList();
    }

    /**
     * {@code channels}: each module's defaults under its name. A module that cannot be used is a problem and is left
     * out.
     */
    ObjectNode defaults(YamlTree yaml, Problems problems) {
        ObjectNode channels = JsonNodeFactory.instance.objectNode();
        Map<String, ChannelFactory<?>> seen = new HashMap<>();
        for (ChannelFactory<?> f : factories) {
            String module = f.getClass().getName();
            String path = "channels." + f.name();
            if (!f.name().matches(NAME)) {
                problems.add(
                        "channels",
                        "the channel module " + module + " is named \"" + f.name() + "\", but a channel's name is a"
                                + " letter, then letters and digits: fix the module, or remove it from the class path");
                continue;
            }
            ChannelFactory<?> other = seen.putIfAbsent(f.name(), f);
            if (other != null) {
                problems.add(
                        path,
                        "two installed channel modules have this name ("
                                + other.getClass().getName() + ", " + module + "): remove one from the class path");
                continue;
            }
            String text = text(f);
            Problems refused = new Problems();
            JsonNode section = text == null ? null : yaml.read(text, refused);
            if (section instanceof ObjectNode mapping && refused.isEmpty()) {
                channels.set(f.name(), mapping);
            } else {
                problems.add(
                        path,
                        "the defaults of the channel module " + module + " (" + f.defaults() + ") are "
                                + (text == null ? "missing" : "not a YAML mapping of its keys")
                                + ": fix the module, or remove it from the class path");
            }
        }
        return channels;
    }

    /** {@code channels:} with each module's defaults, comments kept, as {@code ./hub config defaults} prints them. */
    String text() {
        StringBuilder out = new StringBuilder(
                "channels:                            # one section per installed channel module, from its defaults\n");
        for (ChannelFactory<?> f : factories) {
            String text = text(f);
            if (text == null) continue;
            out.append("  ").append(f.name()).append(":\n");
            text.lines()
                    .forEach(line ->
                            out.append(line.isBlank() ? "" : "    " + line).append('\n'));
        }
        return out.toString();
    }

    /** The module's defaults resource, or null if it has none. */
    private static String text(ChannelFactory<?> f) {
        URL url = f.defaults();
        if (url == null) return null;
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The installed channels' sections bound from {@code channels} (defaults and file merged), or null if one did not
     * bind (then with problems). A section no installed module owns is a problem naming the installed ones.
     */
    ChannelsConfig bind(ObjectNode channels, Binder binder, Problems problems) {
        List<String> names = factories.stream().map(ChannelFactory::name).toList();
        channels.properties().forEach(e -> {
            if (!names.contains(e.getKey()))
                problems.add(
                        "channels." + e.getKey(),
                        names.isEmpty()
                                ? "unknown channel; no channel module is installed"
                                : "unknown channel; installed channels: " + String.join(", ", names));
        });
        List<ChannelSection<?>> sections = new ArrayList<>();
        boolean bound = true;
        for (ChannelFactory<?> f : factories) {
            if (!(channels.get(f.name()) instanceof ObjectNode section)) continue; // its defaults were refused
            ChannelSection<?> s = bind(f, section, binder, problems);
            if (s == null) bound = false;
            else sections.add(s);
        }
        return bound ? new ChannelsConfig(sections) : null;
    }

    /** The common keys go to {@link CommonChannelSettings}, the rest to the module's settings record. */
    private static <S extends ChannelSettings> ChannelSection<S> bind(
            ChannelFactory<S> f, ObjectNode section, Binder binder, Problems problems) {
        String path = "channels." + f.name();
        List<String> keys = CommonChannelSettings.KEYS.stream()
                .filter(k -> f.hasGroups() || !CommonChannelSettings.GROUP_KEYS.contains(k))
                .toList();
        ObjectNode own = section.deepCopy();
        ObjectNode common = own.objectNode();
        for (String k : keys) if (own.has(k)) common.set(k, own.remove(k));
        CommonChannelSettings shared = binder.bind(common, CommonChannelSettings.class, path, List.of(), problems);
        S settings = binder.bind(own, f.settingsType(), path, keys, problems);
        return shared == null || settings == null ? null : new ChannelSection<>(f, shared, settings);
    }
}
