package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs on one PostgreSQL database behind Debian's nginx on loopback, configured as README "Running several
 * instances" shows ({@link NginxProxy}): WebSocket clients are spread over both, and with {@code server.trustedProxies}
 * the hubs see each client's own address, not nginx's.
 */
@ExtendWith(TestPostgres.class)
class NginxLoadBalancerTest {
    @TempDir
    Path dir;

    private TestStore store;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start(TestDatabase database) {
        store = new TestStore("postgresql", dir, database);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Hub hub(String instance) throws Exception {
        Path file = dir.resolve(instance + ".yaml");
        Files.writeString(file, """
                server:
                  port: 0
                  trustedProxies: [127.0.0.1]
                store:
                  dataDir: %s
                admin:
                  authFailuresPerMinute: 3
                """.formatted(dir.resolve(instance)));
        Hub hub = Hub.start(new ConfigLoader(Map.of("HUB_STORE_URL", store.storeUrl())).load(file), Clock.systemUTC());
        open.add(hub);
        return hub;
    }

    /** GET {@code path} through nginx, from the loopback address {@code from}, with {@code token}. */
    private static int status(NginxProxy nginx, String from, String path, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(from))
                .build();
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void spreadsWebSocketClientsOverTheInstancesWhichSeeEachClientsOwnAddress() throws Exception {
        Hub a = hub("a");
        Hub b = hub("b");
        NginxProxy nginx =
                NginxProxy.start(Path.of("target", "nginx-" + UUID.randomUUID()), List.of(a.port(), b.port()));
        open.add(nginx);
        String wsToken = StoredSecrets.read(store.url(), "websocket.token").orElseThrow();
        String admin = StoredSecrets.read(store.url(), "admin.token").orElseThrow();

        WsTestClient first = WsTestClient.authorized(nginx.port(), wsToken);
        open.add(first);
        WsTestClient second = WsTestClient.authorized(nginx.port(), wsToken);
        open.add(second);
        assertTrue(first.result("chat.send", Map.of("text", "one", "session_key", "s1"))
                .get("text")
                .asText()
                .contains("one"));
        assertTrue(second.result("chat.send", Map.of("text", "two", "session_key", "s2"))
                .get("text")
                .asText()
                .contains("two"));
        assertEquals(1, first.result("health", Map.of()).get("connections").asInt(), "one connection on each");
        assertEquals(1, second.result("health", Map.of()).get("connections").asInt(), "one connection on each");

        // Wrong tokens from 127.0.0.2 lock out 127.0.0.2 on both instances, not nginx's 127.0.0.1.
        for (int i = 0; i < 8; i++) status(nginx, "127.0.0.2", "/api/v1/status", "wrong-" + i);
        assertEquals(429, status(nginx, "127.0.0.2", "/api/v1/status", admin));
        assertEquals(429, status(nginx, "127.0.0.2", "/api/v1/status", admin));
        assertEquals(200, status(nginx, "127.0.0.3", "/api/v1/status", admin));
        assertEquals(200, status(nginx, "127.0.0.3", "/api/v1/status", admin));
    }
}
