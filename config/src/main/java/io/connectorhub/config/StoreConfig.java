package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/** Where the hub keeps its data. */
public record StoreConfig(String dataDir, Duration retention) implements Section {
    @Override
    public void check(String path, Problems problems) {
        problems.require(
                dataDir != null && !dataDir.isBlank(), path + ".dataDir", "is empty: set a directory, e.g. ./data");
        problems.positive(retention, path + ".retention");
    }
}
