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
import io.connectorhub.core.Problems;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Binds a tree of YAML values to a record type. Unknown keys, wrong types and values that do not parse are problems at
 * their key paths, never exceptions, and never quote the value (it may be a secret on the wrong line). Enums are
 * written as their {@code toString()}. Thread-safe.
 */
final class Binder {
    private final ObjectMapper mapper;

    Binder() {
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
        this.mapper = new ObjectMapper()
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                // A list item that did not bind is reported by the Collector and left out of the list.
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.SKIP));
    }

    /**
     * {@code tree} bound to {@code type}, or null if it could not be (then with a problem).
     *
     * @param prefix the key path of {@code tree}, e.g. {@code channels.telegram}; empty for the whole file
     * @param alsoValid keys that are valid at the top of {@code tree} besides those of {@code type} (bound elsewhere):
     *     an unknown key's problem lists them among the valid ones
     */
    <T> T bind(JsonNode tree, Class<T> type, String prefix, Collection<String> alsoValid, Problems problems) {
        try {
            return mapper.readerFor(type)
                    .withHandler(new Collector(problems, prefix, type, alsoValid))
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
                    join(prefix, at.toString()),
                    e instanceof MismatchedInputException m && m.getTargetType() != null
                            ? "expected " + Collector.describe(m.getTargetType())
                            : "has a value of the wrong form: ./hub config defaults shows the form of every setting");
            return null;
        }
    }

    /** {@code inner} (a key path within {@code prefix}, maybe starting with an index) appended to {@code prefix}. */
    private static String join(String prefix, String inner) {
        if (prefix.isEmpty() || inner.isEmpty()) return prefix + inner;
        return inner.startsWith("[") ? prefix + inner : prefix + "." + inner;
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
        private final String prefix;
        private final Class<?> root;
        private final Collection<String> alsoValid;

        Collector(Problems problems, String prefix, Class<?> root, Collection<String> alsoValid) {
            this.problems = problems;
            this.prefix = prefix;
            this.root = root;
            this.alsoValid = alsoValid;
        }

        private String path(JsonParser p) {
            if (p == null || p.getParsingContext() == null) return prefix;
            return join(prefix, dotted(p.getParsingContext().pathAsPointer()));
        }

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer, Object bean, String name)
                throws IOException {
            TreeSet<String> known = new TreeSet<>();
            deserializer.getKnownPropertyNames().forEach(k -> known.add(String.valueOf(k)));
            if (deserializer.handledType() == root) known.addAll(alsoValid);
            problems.add(path(p), "unknown key; valid keys here: " + String.join(", ", known));
            p.skipChildren();
            return true;
        }

        /** The value is not echoed: it may be a secret on the wrong line. */
        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> target, String value, String msg) {
            problems.add(
                    path(ctxt.getParser()),
                    target.isEnum() ? "must be " + choices(target) : "expected " + describe(target));
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
            if (type.isEnum()) return "one of " + String.join(", ", names(type));
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
                return "a whole number";
            if (type == boolean.class || type == Boolean.class) return "true or false";
            if (type == double.class || type == Double.class) return "a number";
            if (type == Duration.class) return "a duration such as 500ms, 30s, 5m, 2h or 7d";
            if (type == String.class) return "a string";
            if (List.class.isAssignableFrom(type)) return "a list such as [a, b]";
            return "a mapping (key: value)";
        }

        /** {@code mention, open or disabled}. */
        private static String choices(Class<?> type) {
            List<String> names = names(type);
            int last = names.size() - 1;
            return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
        }

        private static List<String> names(Class<?> type) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) names.add(c.toString());
            return names;
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
