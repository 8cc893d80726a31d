package io.connectorhub.agent.testing;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.Assembly;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.HubRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A hub for channel tests: the {@link Assembly} (every enabled channel whose module is on the test class path, so a
 * channel module's tests get that channel, and the agent loop) on a free port and a data directory under {@code dir},
 * every configured agent being the given one, without the admin side (which lives in hub-app). Shared with the
 * channel modules through this module's test-jar.
 */
public final class TestHub implements AutoCloseable {
    private final HubRuntime runtime;
    private final HubConfig config;

    private TestHub(HubRuntime runtime, HubConfig config) {
        this.runtime = runtime;
        this.config = config;
    }

    /**
     * @param yaml hub.yaml content without {@code server} and {@code store}, which the test hub sets (free port,
     *     data under {@code dir/data})
     */
    public static TestHub start(Path dir, String yaml, Agent agent) throws Exception {
        return start(config(dir, yaml), agent);
    }

    /** Starts on an already loaded configuration (e.g. to restart on the same data directory). */
    public static TestHub start(HubConfig config, Agent agent) throws Exception {
        Assembly assembly =
                Assembly.open(config, Assembly.Options.of(Clock.systemUTC()).withAgents((id, c) -> agent));
        try {
            assembly.start();
            return new TestHub(assembly.runtime(), config);
        } catch (Exception | Error e) {
            assembly.runtime().close();
            throw e;
        }
    }

    /** Writes {@code dir/hub.yaml} (free port, data under {@code dir/data}, plus {@code yaml}) and loads it. */
    public static HubConfig config(Path dir, String yaml) throws IOException {
        return config(dir, "", yaml);
    }

    /** As {@link #config(Path, String)}, with {@code serverYaml} added to the {@code server} section (indented). */
    public static HubConfig config(Path dir, String serverYaml, String yaml) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(
                file,
                "server:\n  port: 0\n" + serverYaml + "store:\n  dataDir: " + dir.resolve("data") + "\n" + yaml + "\n");
        return new ConfigLoader(Map.of()).load(file);
    }

    public HubRuntime runtime() {
        return runtime;
    }

    public HubConfig config() {
        return config;
    }

    public int port() {
        return runtime.port();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
