package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the modules' main sources may use of each other, read from the sources of every module beside this one: channel
 * modules see only hub-core's API, and module tables are reached through {@code ModuleState}, never the SQLite store.
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Each line of a main Java source of {@code module} that names something {@code forbidden} matches. */
    private static List<String> uses(Path module, Pattern forbidden) {
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) return List.of();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = forbidden.matcher(lines.get(i));
                    if (m.find()) found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static List<Path> channelModules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("channel-"))
                    .filter(d -> Files.exists(d.resolve("pom.xml")))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void channelModulesUseNeitherTheCoresInternalsNorTheSqliteDriver() throws IOException {
        List<Path> channels = channelModules();
        assertTrue(channels.size() >= 4, "channel modules found under " + ROOT + ": " + channels);
        Pattern forbidden = Pattern.compile("io\\.connectorhub\\.core\\.internal\\b[\\w.]*|org\\.sqlite\\b[\\w.]*");
        List<String> found = new ArrayList<>();
        for (Path channel : channels) found.addAll(uses(channel, forbidden));
        assertEquals(List.of(), found, "a channel module may use hub-core's API (io.connectorhub.core) only");
    }

    @Test
    void agentsAndWebhooksReachTheirTablesThroughModuleStateNotTheStore() {
        Pattern store = Pattern.compile("io\\.connectorhub\\.core\\.internal\\.store\\b[\\w.]*");
        List<String> found = new ArrayList<>();
        found.addAll(uses(ROOT.resolve("agent-loop"), store));
        found.addAll(uses(ROOT.resolve("hub-app"), store));
        // The command line's store commands work on the whole database with the hub stopped, and the doctor reads it
        // without a hub (read-only, on SQLite or on the PostgreSQL store.url names): they are its only users.
        found.removeIf(use -> use.startsWith("hub-app/src/main/java/io/connectorhub/app/cli/")
                || use.startsWith("hub-app/src/main/java/io/connectorhub/app/doctor/"));
        assertEquals(List.of(), found);
    }
}
