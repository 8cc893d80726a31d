package io.connectorhub.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: the built-in {@code defaults.yaml}, the user's file deep-merged over it, then
 * {@code ${ENV}} substitution in every string, then binding to {@link HubConfig}. Unknown keys, wrong types and
 * invalid values are collected, not thrown one by one: {@link ConfigException#problems()} has all of them.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;
    private final YamlTree yaml = new YamlTree();
    private final ObjectMapper mapper;

    /** @param env the environment to substitute from (pass {@code System.getenv()} in production) */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
        this.mapper = new ObjectMapper()
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // A list item that did not bind is reported by the Collector and left out of the list.
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.SKIP));
    }

    /** The defaults alone (no file): what a fresh install runs with. */
    public HubConfig defaults() {
        return load(null);
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
        JsonNode merged = readDefaults(defaultsProblems);
        if (!defaultsProblems.isEmpty())
            throw new IllegalStateException("the built-in defaults.yaml is invalid: " + defaultsProblems.list());
        if (file != null) {
            JsonNode user = yaml.readFile(file, problems);
            if (user == null && !problems.isEmpty()) return null;
            if (user != null) merge((ObjectNode) merged, dropEmptyItems(user, "", problems), "", problems);
        }
        substitute(merged, "", problems);
        HubConfig config = bind(merged, problems);
        if (config == null) return null;
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

    private JsonNode readDefaults(Problems problems) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return yaml.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), problems);
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

    private HubConfig bind(JsonNode tree, Problems problems) {
        try {
            return mapper.readerFor(HubConfig.class)
                    .withHandler(new Collector(problems))
                    .readValue(tree);
        } catch (IOException e) {
            // Jackson's own message quotes the value, so only the key path and the expected kind are reported.
            StringBuilder at = new StringBuilder();
            if (e instanceof JsonMappingException m) {
                for (JsonMappingException.Reference r : m.getPath()) {
                    if (r.getFieldName() == null)
                        at.append('[').append(r.getIndex()).append(']');
                    else at.append(at.isEmpty() ? "" : ".").append(r.getFieldName());
                }
            }
            problems.add(
                    at.toString(),
                    e instanceof MismatchedInputException m && m.getTargetType() != null
                            ? "expected " + Collector.describe(m.getTargetType())
                            : "has a value of the wrong form: ./hub config defaults shows the form of every setting");
            return null;
        }
    }

    private static String path(JsonParser p) {
        if (p == null || p.getParsingContext() == null) return "";
        return dotted(p.getParsingContext().pathAsPointer());
    }

    static String dotted(JsonPointer pointer) {
        StringBuilder out = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement())
                out.append('[').append(p.getMatchingIndex()).append(']');
            else out.append(out.isEmpty() ? "" : ".").append(p.getMatchingProperty());
        }
        return out.toString();
    }

    /** Turns Jackson's binding failures into problems with key paths, and lets binding go on. */
    private static final class Collector extends DeserializationProblemHandler {
        private final Problems problems;

        Collector(Problems problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer, Object bean, String name)
                throws IOException {
            TreeSet<String> known = new TreeSet<>();
            deserializer.getKnownPropertyNames().forEach(k -> known.add(String.valueOf(k)));
            problems.add(path(p), "unknown key; valid keys here: " + String.join(", ", known));
            p.skipChildren();
            return true;
        }

        /** The value is not echoed: it may be a secret on the wrong line. */
        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> target, String value, String msg) {
            problems.add(path(ctxt.getParser()), "expected " + describe(target));
            return null;
        }

        @Override
        public Object handleMissingInstantiator(
                DeserializationContext ctxt, Class<?> target, ValueInstantiator instantiator, JsonParser p, String msg)
                throws IOException {
            problems.add(path(p), "expected " + describe(target) + ", not " + tokenName(p.currentToken()));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType target, JsonToken token, JsonParser p, String msg)
                throws IOException {
            problems.add(path(p), "expected " + describe(target.getRawClass()) + ", not " + tokenName(token));
            p.skipChildren();
            return null;
        }

        static String describe(Class<?> type) {
            if (type.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : type.getEnumConstants()) names.add(c.toString().toLowerCase());
                return "one of " + String.join(", ", names);
            }
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
                return "a whole number";
            if (type == boolean.class || type == Boolean.class) return "true or false";
            if (type == double.class || type == Double.class) return "a number";
            if (type == Duration.class) return "a duration such as 500ms, 30s, 5m, 2h or 7d";
            if (type == String.class) return "a string";
            if (List.class.isAssignableFrom(type)) return "a list such as [a, b]";
            return "a mapping (key: value)";
        }

        private static String tokenName(JsonToken token) {
            if (token == null) return "a single value";
            return switch (token) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "a mapping";
                case VALUE_NULL -> "an empty value";
                default -> "a single value";
            };
        }
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            Duration d = Durations.parse(p.getText());
            return d != null
                    ? d
                    : (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), "not a duration");
        }
    }
}
