package io.connectorhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.connectorhub.core.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML document into a Jackson tree of mappings, lists, text and nulls (values are typed later, when bound).
 * Anchors, aliases and merge keys ({@code <<: *name}) are resolved as YAML defines them, within the limits below.
 * Whatever the input, problems are added (never thrown) naming a position or key path and what is wrong in general
 * words: no problem quotes text from the input, which may hold secrets. Stateless and thread-safe.
 */
final class YamlTree {
    /** The largest configuration file read, in bytes; a larger one is refused by its size, unread. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /** The longest key or value, in characters. */
    static final int MAX_SCALAR_CHARS = 64 << 10;
    /** The deepest nesting of lists and mappings, aliases included. */
    static final int MAX_DEPTH = 50;
    /** The most aliases ({@code *name}) that may refer to a list or mapping. */
    static final int MAX_COLLECTION_ALIASES = 50;
    /** The most keys and values that expanding aliases may add (a "billion laughs" file adds billions). */
    static final int MAX_ALIAS_VALUES = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The tree of the file, or null if it is empty or unusable (then with problems). */
    JsonNode readFile(Path file, Problems problems) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add("", tooBig(size + " bytes"));
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            problems.add(
                    "", "file not found: " + file.toAbsolutePath() + " (pass an existing file, or none for defaults)");
            return null;
        } catch (IOException e) {
            problems.add("", "cannot read " + file + ": " + e.getMessage());
            return null;
        }
        if (bytes.length > MAX_FILE_BYTES) { // it grew after its size was read
            problems.add("", tooBig("over " + MAX_FILE_BYTES + " bytes"));
            return null;
        }
        try {
            return read(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(bytes))
                            .toString(),
                    problems);
        } catch (CharacterCodingException e) {
            problems.add("", "the file is not UTF-8 text: save it with the UTF-8 encoding");
            return null;
        }
    }

    private static String tooBig(String size) {
        return "the file is " + size + "; a configuration file may be at most " + MAX_FILE_BYTES + " bytes (1 MiB)";
    }

    /** The tree of {@code text}, or null if it is empty or unusable (then with problems). */
    JsonNode read(String text, Problems problems) {
        Node root;
        try {
            root = yaml().compose(new StringReader(text));
        } catch (YAMLException e) {
            YamlSyntaxError.report(text, e, problems);
            return null;
        }
        if (root == null || root.getTag().equals(Tag.NULL)) return null;
        if (!(root instanceof MappingNode)) {
            problems.add("", "the file must be a YAML mapping (key: value), not " + kind(root));
            return null;
        }
        Conversion conversion = new Conversion(problems);
        JsonNode tree = conversion.convert(root, "", 1);
        return conversion.stopped ? null : tree;
    }

    /** A parser with the limits above; not thread-safe, so one per use. */
    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String kind(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            default -> "a single value";
        };
    }

    static String at(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** Turns composed nodes into a tree, counting what aliases add and refusing duplicate keys and oversize values. */
    private static final class Conversion {
        private final Problems problems;
        private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private int inAlias;
        private int aliasValues;
        private boolean stopped;

        Conversion(Problems problems) {
            this.problems = problems;
        }

        /** The tree of {@code node}, or null if it is refused (then with a problem). */
        JsonNode convert(Node node, String path, int depth) {
            if (stopped) return null;
            if (open.contains(node)) {
                problems.add(path, "contains itself through an alias (*name): a list or mapping cannot hold itself");
                return null;
            }
            if (depth > MAX_DEPTH) {
                problems.add(path, "lists and mappings nest deeper than " + MAX_DEPTH + " levels (aliases included)");
                return null;
            }
            boolean alias = !seen.add(node);
            if (alias) inAlias++;
            try {
                if (inAlias > 0 && ++aliasValues > MAX_ALIAS_VALUES) {
                    problems.add(
                            path,
                            "aliases expand to more than " + MAX_ALIAS_VALUES
                                    + " values; write the values out instead of repeating aliases");
                    stopped = true;
                    return null;
                }
                return switch (node) {
                    case ScalarNode s -> scalar(s, path, "value");
                    case SequenceNode s -> list(s, path, depth);
                    case MappingNode m -> mapping(m, path, depth);
                    default -> null;
                };
            } finally {
                if (alias) inAlias--;
            }
        }

        private JsonNode scalar(ScalarNode s, String path, String what) {
            if (s.getValue().length() > MAX_SCALAR_CHARS) {
                problems.add(
                        path,
                        "the " + what + " at " + at(s.getStartMark()) + " is longer than " + MAX_SCALAR_CHARS
                                + " characters (64 KiB), the most a value may have");
                return null;
            }
            return s.getTag().equals(Tag.NULL) ? NullNode.getInstance() : TextNode.valueOf(s.getValue());
        }

        private JsonNode list(SequenceNode list, String path, int depth) {
            ArrayNode array = NODES.arrayNode();
            open.add(list);
            List<Node> items = list.getValue();
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = convert(items.get(i), path + "[" + i + "]", depth + 1);
                if (item != null) array.add(item);
            }
            open.remove(list);
            return array;
        }

        private JsonNode mapping(MappingNode mapping, String path, int depth) {
            ObjectNode object = NODES.objectNode();
            open.add(mapping);
            Node merged = null;
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode().getTag().equals(Tag.MERGE)) {
                    if (merged != null)
                        problems.add(path + ".<<", "duplicate key; each key may appear once per mapping");
                    merged = entry.getValueNode();
                    continue;
                }
                if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
                    problems.add(
                            path,
                            "the key at " + at(entry.getKeyNode().getStartMark()) + " is " + kind(entry.getKeyNode())
                                    + "; keys must be plain words");
                    continue;
                }
                if (scalar(keyNode, path, "key") == null) continue;
                String key = keyNode.getValue();
                String keyPath = path.isEmpty() ? key : path + "." + key;
                if (object.has(key)) {
                    problems.add(keyPath, "duplicate key; each key may appear once per mapping");
                    continue;
                }
                JsonNode value = convert(entry.getValueNode(), keyPath, depth + 1);
                if (value != null) object.set(key, value);
            }
            if (merged != null) merge(object, merged, path.isEmpty() ? "<<" : path + ".<<", depth);
            open.remove(mapping);
            return object;
        }

        /**
         * A merge key ({@code <<: *name} or {@code <<: [*a, *b]}) adds the keys of the mappings it names that
         * {@code object} does not set itself; of two merged mappings with the same key, the first wins.
         */
        private void merge(ObjectNode object, Node merged, String path, int depth) {
            JsonNode from = convert(merged, path, depth + 1);
            if (from == null) return;
            for (JsonNode source : from.isArray() ? from : List.of(from)) {
                if (!source.isObject()) {
                    problems.add(path, "must name a mapping (<<: *name) or a list of them (<<: [*a, *b])");
                    return;
                }
                source.properties().forEach(e -> object.putIfAbsent(e.getKey(), e.getValue()));
            }
        }
    }
}
