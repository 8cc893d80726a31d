package io.connectorhub.config;

import io.connectorhub.core.HubException;
import io.connectorhub.core.Problems;
import io.connectorhub.core.internal.store.PostgresUrl;
import java.time.Duration;

/**
 * Where the hub keeps its data: SQLite in {@code dataDir}, or PostgreSQL at {@code url} when it is set (the data
 * directory then keeps only this instance's own files).
 */
public record StoreConfig(String dataDir, Duration retention, String url, int poolSize) implements Section {
    /** Whether the tables live on a PostgreSQL server rather than in SQLite. */
    public boolean postgres() {
        return url != null && !url.isBlank();
    }

    @Override
    public void check(String path, Problems problems) {
        problems.require(
                dataDir != null && !dataDir.isBlank(), path + ".dataDir", "is empty: set a directory, e.g. ./data");
        problems.positive(retention, path + ".retention");
        problems.range(poolSize, 1, 1000, path + ".poolSize");
        if (postgres()) {
            try {
                PostgresUrl.parse(url.strip(), path + ".url");
            } catch (HubException e) {
                // the message names the setting first; the problem list names it already
                problems.add(path + ".url", e.getMessage().substring((path + ".url ").length()));
            }
        }
    }
}
