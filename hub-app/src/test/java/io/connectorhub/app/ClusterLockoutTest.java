package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Per-IP lockouts are counted in the database, so failures on one instance lock the client out on the others. */
@ExtendWith(TestPostgres.class)
class ClusterLockoutTest {
    @TempDir
    Path dir;

    private TestStore store;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void database(TestDatabase database) {
        store = new TestStore("postgresql", dir, database);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Hub hub(String instance) throws Exception {
        HubConfig config = InstanceConfig.load(dir, instance, store.storeUrl(), """
                admin: {authFailuresPerMinute: 3}
                """);
        Hub hub = Hub.start(config, Clock.systemUTC());
        open.add(hub);
        return hub;
    }

    private int status(Hub hub, String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/status"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void wrongTokensOnOneInstanceLockTheClientOutOnAnother() throws Exception {
        Hub a = hub("a");
        Hub b = hub("b");
        String admin = StoredSecrets.read(store.url(), "admin.token").orElseThrow();
        // the failures are counted per clock minute: make all of them in the same one
        await().atMost(Duration.ofSeconds(30))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 40);
        assertEquals(200, status(b, admin));

        for (int i = 0; i < 3; i++) assertEquals(401, status(a, "wrong-" + i));

        assertEquals(429, status(b, admin), "locked out on b by the failures made on a");
        assertEquals(429, status(a, admin));
    }
}
