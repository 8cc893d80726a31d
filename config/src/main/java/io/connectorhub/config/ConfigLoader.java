package io.connectorhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: the built-in {@code defaults.yaml} with each installed channel module's defaults under
 * {@code channels}, the user's file deep-merged over them, then {@code ${ENV}} substitution in every string, then
 * binding to {@link HubConfig} (each {@code channels.<name>} to its module's settings). Unknown keys, wrong types and
 * invalid values are collected, not thrown one by one: {@link ConfigException#problems()} has all of them.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;
    private final List<ChannelFactory<?>> channels;
    private final YamlTree yaml = new YamlTree();
    private final Binder binder = new Binder();

    /**
     * The channel modules are those on the class path ({@link ServiceLoader}, found at each load).
     *
     * @param env the environment to substitute from (pass {@code System.getenv()} in production)
     */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.channels = null;
    }

    /** @param channels the installed channel modules, instead of those on the class path */
    public ConfigLoader(Map<String, String> env, List<ChannelFactory<?>> channels) {
        this.env = Map.copyOf(env);
        this.channels = List.copyOf(channels);
    }

    /** The channel modules on the class path, as {@link java.util.ServiceLoader} finds them. */
    public static List<ChannelFactory<?>> installedChannels() {
        List<ChannelFactory<?>> found = new ArrayList<>();
        for (ChannelFactory<?> f : ServiceLoader.load(ChannelFactory.class)) found.add(f);
        return found;
    }

    private ChannelSections sections() {
        return new ChannelSections(channels != null ? channels : installedChannels());
    }

    /** The defaults alone (no file): what a fresh install runs with. */
    public HubConfig defaults() {
        return load(null);
    }

    /**
     * Every setting with its default and a comment, as {@code ./hub config defaults} prints it: the built-in
     * {@code defaults.yaml}, then {@code channels} with each installed channel module's defaults, by name.
     */
    public String defaultsText() {
        return coreDefaults() + "\n" + sections().text();
    }

    /**
     * Loads {@code file} over the defaults; a null file means defaults only. Throws nothing but {@link
     * ConfigException}, whatever the file holds.
     */
    public HubConfig load(Path file) {
        String source = file == null ? "(built-in defaults)" : file.toString();
        Problems problems = new Problems();
        HubConfig config;
        try {
            config = read(file, problems);
        } catch (RuntimeException e) {
            // A gap in the checks, not the file's fault. The exception's message may quote the file: only its kind and
            // origin are shown.
            StackTraceElement origin = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            problems.add(
                    "",
                    "could not be checked (" + e.getClass().getSimpleName()
                            + (origin == null ? "" : " at " + origin.getFileName() + ":" + origin.getLineNumber())
                            + "); please report this");
            config = null;
        }
        if (config == null || !problems.isEmpty()) throw new ConfigException(source, problems.list());
        return config;
    }

    private HubConfig read(Path file, Problems problems) {
        Problems defaultsProblems = new Problems();
        JsonNode defaults = yaml.read(coreDefaults(), defaultsProblems);
        if (!defaultsProblems.isEmpty() || !(defaults instanceof ObjectNode merged))
            throw new IllegalStateException("the built-in defaults.yaml is invalid: " + defaultsProblems.list());
        ChannelSections sections = sections();
        merged.set("channels", sections.defaults(yaml, problems));
        if (file != null) {
            JsonNode user = yaml.readFile(file, problems);
            if (user == null && !problems.isEmpty()) return null;
            if (user != null) merge(merged, dropEmptyItems(user, "", problems), "", problems);
        }
        substitute(merged, "", problems);
        // A section that is not a mapping was refused by merge, which kept the defaults' mapping.
        ObjectNode channelsTree = (ObjectNode) merged.remove("channels");
        HubConfig core = binder.bind(merged, HubConfig.class, "", List.of(), problems);
        ChannelsConfig channels = sections.bind(channelsTree, binder, problems);
        if (core == null || channels == null) return null;
        HubConfig config = core.withChannels(channels);
        // A value already reported (it did not bind, or was refused) is not reported again as an invalid value.
        Set<String> reported = problems.list().stream().map(ConfigProblem::path).collect(Collectors.toSet());
        Problems checks = new Problems();
        config.check("", checks);
        checks.list().stream()
                .filter(p -> !covered(p.path(), reported))
                .forEach(p -> problems.add(p.path(), p.message()));
        return config;
    }

    /** Whether {@code path}, or a key or list containing it, has a problem already. */
    private static boolean covered(String path, Set<String> reported) {
        return reported.stream()
                .anyMatch(
                        r -> !r.isEmpty() && (path.equals(r) || path.startsWith(r + ".") || path.startsWith(r + "[")));
    }

    private static String coreDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the built-in defaults.yaml is unreadable", e);
        }
    }

    /**
     * Deep merge: mappings merge key by key; anything else in {@code over} replaces what is in {@code base}. A section
     * that is a mapping in the defaults stays one: another shape, or an empty value, is a problem and leaves the
     * defaults in place, and so does an empty value over a default one.
     */
    private static void merge(ObjectNode base, JsonNode over, String path, Problems problems) {
        over.properties().forEach(e -> {
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode existing = base.get(e.getKey());
            JsonNode value = e.getValue();
            if (existing instanceof ObjectNode section) {
                if (value.isObject()) merge(section, value, at, problems);
                else if (value.isNull()) problems.add(at, "is empty: write the keys to change under it, or remove it");
                else problems.add(at, "expected a mapping (key: value), not " + kind(value));
            } else if (value.isNull() && existing != null && !existing.isNull()) {
                problems.add(at, "is empty: give a value, or remove the key to keep the default");
            } else {
                base.set(e.getKey(), value);
            }
        });
    }

    /** {@code node} without list items that are empty (null), each of which is a problem. */
    private static JsonNode dropEmptyItems(JsonNode node, String path, Problems problems) {
        if (node instanceof ObjectNode object) {
            object.properties()
                    .forEach(e -> dropEmptyItems(
                            e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), problems));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0, at = 0; i < array.size(); at++) {
                if (array.get(i).isNull()) {
                    problems.add(path + "[" + at + "]", "is empty: give a value, or remove the item");
                    array.remove(i);
                } else {
                    dropEmptyItems(array.get(i++), path + "[" + at + "]", problems);
                }
            }
        }
        return node;
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isObject() ? "a mapping" : "a single value";
    }

    private void substitute(JsonNode node, String path, Problems problems) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual())
                    e.setValue(new TextNode(expand(e.getValue().asText(), childPath, problems)));
                else substitute(e.getValue(), childPath, problems);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual())
                    array.set(i, new TextNode(expand(array.get(i).asText(), path + "[" + i + "]", problems)));
                else substitute(array.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private String expand(String text, String path, Problems problems) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2);
                if (value == null) {
                    problems.add(
                            path,
                            "environment variable " + m.group(1) + " is not set: export it, or write ${" + m.group(1)
                                    + ":-fallback} to give a fallback");
                    value = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
