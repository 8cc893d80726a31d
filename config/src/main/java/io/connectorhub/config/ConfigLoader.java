package io.connectorhub.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    private final ObjectMapper yaml;

    /** @param env the environment to substitute from (pass {@code System.getenv()} in production) */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
        this.yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The defaults alone (no file): what a fresh install runs with. */
    public HubConfig defaults() {
        return load(null);
    }

    /** Loads {@code file} over the defaults; a null file means defaults only. */
    public HubConfig load(Path file) {
        String source = file == null ? "(built-in defaults)" : file.toString();
        Problems problems = new Problems();
        JsonNode merged = readDefaults();
        if (file != null) {
            JsonNode user = readFile(file, problems);
            if (user != null) merge((ObjectNode) merged, user);
        }
        if (problems.isEmpty()) substitute(merged, "", problems);
        HubConfig config = problems.isEmpty() ? bind(merged, problems) : null;
        if (config == null) throw new ConfigException(source, problems.list());
        Problems checks = new Problems();
        config.check("", checks);
        // A value that did not bind is reported once, as a type problem, not again as an invalid value.
        Set<String> unbound = problems.list().stream().map(ConfigProblem::path).collect(Collectors.toSet());
        checks.list().stream()
                .filter(p -> !unbound.contains(p.path()))
                .forEach(p -> problems.add(p.path(), p.message()));
        if (!problems.isEmpty()) throw new ConfigException(source, problems.list());
        return config;
    }

    private JsonNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("the built-in defaults.yaml is unreadable", e);
        }
    }

    private JsonNode readFile(Path file, Problems problems) {
        try {
            JsonNode node = yaml.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) return null;
            if (!node.isObject()) {
                problems.add(
                        "",
                        "the file must be a YAML mapping (key: value), not a "
                                + node.getNodeType().name().toLowerCase());
                return null;
            }
            return node;
        } catch (NoSuchFileException e) {
            problems.add(
                    "", "file not found: " + file.toAbsolutePath() + " (pass an existing file, or none for defaults)");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            problems.add(
                    "",
                    "not valid YAML" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            problems.add("", "cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    /** Deep merge: mappings merge key by key; anything else in {@code over} replaces what is in {@code base}. */
    private static void merge(ObjectNode base, JsonNode over) {
        over.properties().forEach(e -> {
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode obj && e.getValue().isObject()) merge(obj, e.getValue());
            else base.set(e.getKey(), e.getValue());
        });
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
            return yaml.readerFor(HubConfig.class)
                    .withHandler(new Collector(problems))
                    .readValue(tree);
        } catch (IOException e) {
            if (problems.isEmpty())
                problems.add(path(e instanceof JsonProcessingException j ? j.getProcessor() : null), e.getMessage());
            return null;
        }
    }

    private static String path(Object processor) {
        if (!(processor instanceof JsonParser p)) return "";
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

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> target, String value, String msg) {
            problems.add(path(ctxt.getParser()), "expected " + describe(target) + ", not \"" + printable(value) + "\"");
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> target, Number value, String msg) {
            problems.add(path(ctxt.getParser()), "expected " + describe(target) + ", not " + value);
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

        private static String describe(Class<?> type) {
            if (type.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : type.getEnumConstants()) names.add(c.toString().toLowerCase());
                return "one of " + String.join(", ", names);
            }
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
                return "a whole number";
            if (type == boolean.class || type == Boolean.class) return "true or false";
            if (type == Duration.class) return "a duration such as 500ms, 30s, 5m, 2h or 7d";
            if (type == String.class) return "a string";
            if (List.class.isAssignableFrom(type)) return "a list";
            return "a mapping (key: value)";
        }

        private static String tokenName(JsonToken token) {
            return switch (token) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "a mapping";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "an empty value";
                default -> token.name().toLowerCase();
            };
        }

        /** Values are echoed only when short, so a misplaced secret is not printed whole. */
        private static String printable(String value) {
            return value.length() <= 24 ? value : value.substring(0, 4) + "…";
        }
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return Duration.ofSeconds(p.getLongValue());
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
