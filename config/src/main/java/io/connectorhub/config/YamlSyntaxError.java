package io.connectorhub.config;

import static io.connectorhub.config.YamlTree.MAX_COLLECTION_ALIASES;
import static io.connectorhub.config.YamlTree.MAX_DEPTH;
import static io.connectorhub.config.YamlTree.MAX_FILE_BYTES;

import io.connectorhub.core.Problems;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reports YAML the parser refused by its position, the key path it is under and a generic description. SnakeYAML's
 * own messages and snippets quote the input, which may hold secrets, so none of their text is passed on.
 */
final class YamlSyntaxError {
    private YamlSyntaxError() {}

    /** Adds the problem for {@code e}, which the parser raised on {@code text}. */
    static void report(String text, YAMLException e, Problems problems) {
        Mark mark = e instanceof MarkedYAMLException m ? m.getProblemMark() : null;
        Replay replay = new Replay(mark);
        replay.run(text);
        Mark at = mark != null ? mark : replay.failedAt;
        problems.add(
                mark != null || replay.failedAt != null ? replay.path() : "",
                "not valid YAML" + (at == null ? "" : " at " + YamlTree.at(at)) + ": " + describe(e));
    }

    private static String describe(YAMLException e) {
        String problem = String.valueOf(e instanceof MarkedYAMLException m ? m.getProblem() : e.getMessage())
                .toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> known : DESCRIPTIONS) {
            if (problem.contains(known.getKey())) return known.getValue();
        }
        return "the text does not follow YAML syntax here";
    }

    /** A fragment of SnakeYAML's description of a problem, and what to tell the user instead; first match wins. */
    private static final List<Map.Entry<String, String>> DESCRIPTIONS = List.of(
            Map.entry("(tab)", "a tab character; YAML indents with spaces only"),
            Map.entry("tab character", "a tab character; YAML indents with spaces only"),
            Map.entry("cannot start any token", "a character that cannot start a value; put the value in quotes"),
            Map.entry(
                    "mapping values are not allowed",
                    "a ': ' where no new key may start; indent the key under its parent, or put a value that"
                            + " contains ': ' in quotes"),
            Map.entry(
                    "not allowed here", "a key or list item where the indentation allows none; check the indentation"),
            Map.entry(
                    "could not find expected ':'", "a line without 'key: value'; check the colon and the indentation"),
            Map.entry("expected <block end>", "the indentation does not match the lines above"),
            Map.entry("did not find expected key", "the indentation does not match the lines above"),
            Map.entry("expected ',' or ']'", "a [ list ] that is not closed with ]"),
            Map.entry("expected ',' or '}'", "a { mapping } that is not closed with }"),
            Map.entry("end of stream", "the file ends inside a quoted value; close the quote"),
            Map.entry("escape", "an invalid \\ escape in a double-quoted value; write \\\\ for a backslash"),
            Map.entry("nesting depth", "lists and mappings nest deeper than " + MAX_DEPTH + " levels"),
            Map.entry("code points", "the text is longer than " + MAX_FILE_BYTES + " characters (1 MiB)"),
            Map.entry(
                    "number of aliases",
                    "more than " + MAX_COLLECTION_ALIASES + " aliases (*name) to lists or mappings; write the values"
                            + " out instead"),
            Map.entry("recursive key", "a key that contains itself through an alias"),
            Map.entry("undefined alias", "an alias (*name) without an anchor (&name) before it"),
            Map.entry("anchor", "an anchor or alias name (&name, *name) with a character names cannot have"),
            Map.entry("alias", "an anchor or alias name (&name, *name) with a character names cannot have"),
            Map.entry("tag", "a tag (!name) that is not supported; remove it"),
            Map.entry("document", "more than one document (---); a configuration file holds one"),
            Map.entry("special characters", "a control character, which YAML does not allow"));

    /**
     * Replays the parser's events up to a position, or up to where they fail or break a limit the composer enforces,
     * to learn the key path (and, for the composer's limits, the position) there.
     */
    private static final class Replay {
        private final Mark stop;
        private final Deque<Frame> frames = new ArrayDeque<>();
        private final Set<String> collectionAnchors = new HashSet<>();
        private int collectionAliases;
        Mark failedAt;

        /** One open list or mapping: in a mapping, the key whose value is being read; in a list, the items done. */
        private static final class Frame {
            final boolean mapping;
            String key;
            boolean inValue;
            int items;

            Frame(boolean mapping) {
                this.mapping = mapping;
            }
        }

        Replay(Mark stop) {
            this.stop = stop;
        }

        void run(String text) {
            Mark last = null;
            try {
                for (Event event : YamlTree.yaml().parse(new StringReader(text))) {
                    if (stop != null && event.getStartMark().getIndex() >= stop.getIndex()) return;
                    last = event.getStartMark();
                    if (breaksLimit(event)) {
                        failedAt = last;
                        return;
                    }
                    if (event instanceof NodeEvent) start(event);
                    else if (event instanceof CollectionEndEvent) {
                        frames.pop();
                        done(frames.peek());
                    }
                }
            } catch (YAMLException e) {
                failedAt = e instanceof MarkedYAMLException m && m.getProblemMark() != null ? m.getProblemMark() : last;
            }
        }

        private boolean breaksLimit(Event event) {
            if (event instanceof CollectionStartEvent c) {
                if (c.getAnchor() != null) collectionAnchors.add(c.getAnchor());
                return frames.size() + 1 > MAX_DEPTH;
            }
            return event instanceof AliasEvent a
                    && collectionAnchors.contains(a.getAnchor())
                    && ++collectionAliases > MAX_COLLECTION_ALIASES;
        }

        private void start(Event event) {
            Frame top = frames.peek();
            boolean collection = event instanceof CollectionStartEvent;
            if (top != null && top.mapping && !top.inValue && top.key == null) { // the node is a key
                top.key = event instanceof ScalarEvent s ? s.getValue() : "?";
                if (!collection) top.inValue = true;
            } else if (!collection) {
                done(top);
            }
            if (collection) frames.push(new Frame(event instanceof MappingStartEvent));
        }

        /** A node inside {@code frame} is complete. */
        private static void done(Frame frame) {
            if (frame == null) return;
            if (!frame.mapping) frame.items++;
            else if (frame.inValue) {
                frame.inValue = false;
                frame.key = null;
            } else frame.inValue = true; // a key that was a list or mapping
        }

        String path() {
            StringBuilder path = new StringBuilder();
            for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
                Frame frame = it.next();
                if (frame.mapping && frame.key != null)
                    path.append(path.isEmpty() ? "" : ".").append(frame.key);
                else if (!frame.mapping && it.hasNext())
                    path.append('[').append(frame.items).append(']');
            }
            return path.toString();
        }
    }
}
