package io.connectorhub.agent;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ConfigProblem;
import io.connectorhub.core.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and reloads it when it changes (its modification time, size or content; polling works on
 * every file system and with editors that replace the file). A valid file is handed to {@code onChange}; an invalid
 * one is logged with every problem and ignored, so the configuration in force stays. Only agents and routing take
 * effect at once; other sections need a restart.
 */
public final class ConfigWatcher implements Service {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final ConfigLoader loader;
    private final Consumer<HubConfig> onChange;
    private final Duration interval;
    private volatile boolean running;
    private Thread thread;
    private Object seen;

    public ConfigWatcher(Path file, ConfigLoader loader, Consumer<HubConfig> onChange, Duration interval) {
        this.file = file;
        this.loader = loader;
        this.onChange = onChange;
        this.interval = interval;
    }

    @Override
    public void start() {
        seen = stamp();
        running = true;
        thread = Thread.ofVirtual().name("config-watcher").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            Object now = stamp();
            if (Objects.equals(now, seen)) continue;
            seen = now;
            reload();
        }
    }

    /** Loads the file now; true if it was valid and applied. */
    public boolean reload() {
        try {
            HubConfig config = loader.load(file);
            onChange.accept(config);
            log.info("Reloaded {}: agents and routing updated (other changes apply after a restart)", file);
            return true;
        } catch (ConfigException e) {
            log.warn(
                    "Ignored the change to {}: it has {} problem(s), the previous configuration stays in force:\n  {}",
                    file,
                    e.problems().size(),
                    e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        } catch (RuntimeException e) {
            log.warn("Ignored the change to {}: {}; the previous configuration stays in force", file, e.toString());
        }
        return false;
    }

    private record Stamp(FileTime modified, long size, int contentHash) {}

    private Object stamp() {
        try {
            return new Stamp(
                    Files.getLastModifiedTime(file), Files.size(file), Arrays.hashCode(Files.readAllBytes(file)));
        } catch (IOException e) {
            return null; // missing for a moment while an editor replaces it
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }
}
