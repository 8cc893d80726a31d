package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code store} section: SQLite in the data directory unless {@code store.url} names a PostgreSQL server. */
class StoreConfigTest {
    @TempDir
    Path dir;

    private HubConfig load(Map<String, String> env, String yaml) throws Exception {
        return new ConfigLoader(env).load(Files.writeString(dir.resolve("hub.yaml"), yaml));
    }

    @Test
    void staysOnSqliteWithoutAUrl() {
        HubConfig config = new ConfigLoader(Map.of()).defaults();
        assertNull(config.runtimeSettings().storeUrl());
        assertEquals(10, config.runtimeSettings().storePoolSize());
    }

    @Test
    void takesTheUrlFromHubStoreUrlOrTheFile() throws Exception {
        String url = "postgresql://hub:pw@127.0.0.1:5432/hub";
        assertEquals(
                url, load(Map.of("HUB_STORE_URL", url), "").runtimeSettings().storeUrl());
        HubConfig file = load(Map.of("PG", url), "store:\n  url: ${PG}\n  poolSize: 3\n");
        assertEquals(url, file.runtimeSettings().storeUrl());
        assertEquals(3, file.runtimeSettings().storePoolSize());
    }

    @Test
    void refusesAUrlThatIsNotPostgresWithoutShowingIt() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of(), "store:\n  url: mysql://hub:s3cret@db/hub\n  poolSize: 0\n"));
        assertEquals(
                "store.url: is not a PostgreSQL URL (it does not start with postgresql://): write"
                        + " postgresql://user:password@host:5432/database (or jdbc:postgresql://…)",
                e.problems().get(1).toString());
        assertEquals(
                "store.poolSize: must be between 1 and 1000, is 0",
                e.problems().get(0).toString());
        assertFalse(e.getMessage().contains("s3cret"));
    }
}
