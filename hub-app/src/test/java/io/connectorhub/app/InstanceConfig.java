package io.connectorhub.app;

import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The configuration of one hub instance on a shared database, as the tests of several instances write it. */
final class InstanceConfig {
    private InstanceConfig() {}

    /**
     * {@code <dir>/<instance>.yaml}: a free port, the data directory {@code <dir>/<instance>} (its own instance id)
     * and {@code yaml}; the database is {@code storeUrl}, given as HUB_STORE_URL.
     */
    static HubConfig load(Path dir, String instance, String storeUrl, String yaml) throws Exception {
        Path file = dir.resolve(instance + ".yaml");
        Files.writeString(file, """
                server:
                  port: 0
                store:
                  dataDir: %s
                """.formatted(dir.resolve(instance)) + yaml);
        return new ConfigLoader(Map.of("HUB_STORE_URL", storeUrl)).load(file);
    }
}
