package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub store copy} between SQLite and PostgreSQL both ways, and {@code hub store backup} under load. */
@ExtendWith(TestPostgres.class)
class StoreCommandTest {
    private static final List<String> TABLES =
            List.of("inbox", "messages", "outbox", "sessions", "webhook_deliveries", "webhook_endpoints", "gateways");

    @TempDir
    Path dir;

    /** A configuration file for a SQLite hub in {@code data}, or a PostgreSQL one when {@code url} is set. */
    private Path config(String name, String data, String url) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                "server:\n  port: 0\nstore:\n  dataDir: " + dir.resolve(data) + "\n"
                        + (url == null ? "" : "  url: \"" + url + "\"\n")
                        + "webhooks:\n  allowPrivateTargets: true\n");
    }

    private CliRun cli(String... args) {
        return CliRun.of(Map.of(), dir, args);
    }

    private static Map<String, Long> counts(Store store) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES)
            counts.put(
                    table,
                    store.read(h -> h.createQuery("SELECT count(*) FROM " + table)
                            .mapTo(Long.class)
                            .one()));
        return counts;
    }

    /** A SQLite hub that held a conversation (with an idempotency key), a webhook with a delivery, a pending reply. */
    private String fillSqliteHub(Path config) throws Exception {
        WireMockServer receiver = new WireMockServer(
                WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        receiver.stubFor(post("/events").willReturn(ok()));
        String reply;
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(config), Clock.systemUTC())) {
            String admin = Files.readString(dir.resolve("sqlite/admin.token")).strip();
            HttpResponse<String> created = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/webhooks"))
                                    .header("Authorization", "Bearer " + admin)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:"
                                            + receiver.port() + "/events\",\"events\":[\"message.inbound\"]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            try (WsTestClient c = WsTestClient.authorized(
                    hub.port(),
                    Files.readString(dir.resolve("sqlite/websocket.token")).strip())) {
                reply = c.result("chat.send", Map.of("text", "kept across stores", "idempotency_key", "k1"))
                        .get("text")
                        .asText();
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> hub.runtime()
                                    .state("webhooks")
                                    .read(h -> h.createQuery(
                                                    "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'")
                                            .mapTo(Integer.class)
                                            .one())
                            == 1);
        } finally {
            receiver.stop();
        }
        try (Store store = Store.open(dir.resolve("sqlite/hub.db"))) {
            new StoreOutbox(store, "copied", Clock.systemUTC())
                    .enqueue(OutboundMessage.to("telegram", "7", "still to send"));
        }
        return reply;
    }

    @Test
    void copiesASqliteHubIntoPostgresAndBackAndAHubOnTheCopyCarriesOn(TestDatabase postgres) throws Exception {
        String url = new TestStore("postgresql", dir, postgres).storeUrl();
        Path sqliteConfig = config("sqlite", "sqlite", null);
        String reply = fillSqliteHub(sqliteConfig);
        Map<String, Long> before;
        try (Store sqlite = Store.open(dir.resolve("sqlite/hub.db"))) {
            sqlite.state("webhooks");
            sqlite.state("agents");
            before = counts(sqlite);
        }

        CliRun to = cli("--config", sqliteConfig.toString(), "store", "copy", "--to", url);
        assertEquals(0, to.exit(), to.toString());
        assertTrue(to.out().contains("Copied 1 rows of webhook_endpoints"), to.out());
        assertTrue(to.out().contains("and 2 generated secrets from hub.db to postgresql"), to.out());
        try (Store pg = new TestStore("postgresql", dir, postgres).open()) {
            pg.state("webhooks");
            pg.state("agents");
            assertEquals(before, counts(pg));
            assertEquals(
                    List.of("still to send"),
                    new StoreOutbox(pg, "copied", Clock.systemUTC())
                            .unsent(10).stream().map(OutboundMessage::content).toList());
        }
        TestStore pgStore = new TestStore("postgresql", dir, postgres);
        assertEquals(
                Files.readString(dir.resolve("sqlite/websocket.token")).strip(),
                StoredSecrets.read(pgStore.url(), "websocket.token").orElseThrow());

        // A hub on the copy: the same token, the idempotency key answered from the copy, the history going on.
        Path pgConfig = config("pg", "pg", url);
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(pgConfig), Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(
                        hub.port(),
                        StoredSecrets.read(pgStore.url(), "websocket.token").orElseThrow())) {
            assertEquals(
                    reply,
                    c.result("chat.send", Map.of("text", "kept across stores", "idempotency_key", "k1"))
                            .get("text")
                            .asText());
            JsonNode next = c.result("chat.send", Map.of("text", "on postgres now"));
            assertTrue(next.get("text").asText().contains("(message 2 in this conversation)"), next.toString());
        }

        // And back into an empty SQLite data directory.
        Path backConfig = config("back", "back", null);
        CliRun from = cli("--config", backConfig.toString(), "store", "copy", "--from", url);
        assertEquals(0, from.exit(), from.toString());
        try (Store back = Store.open(dir.resolve("back/hub.db"))) {
            Map<String, Long> expected = new LinkedHashMap<>(before);
            expected.merge("inbox", 1L, Long::sum);
            expected.merge("messages", 2L, Long::sum);
            expected.merge("outbox", 1L, Long::sum);
            expected.merge("webhook_deliveries", 1L, Long::sum); // the event of that message
            assertEquals(expected, counts(back));
            assertEquals(
                    List.of("kept across stores", reply, "on postgres now"),
                    back.read(h -> h.createQuery("SELECT content FROM messages ORDER BY seq LIMIT 3")
                            .mapTo(String.class)
                            .list()));
        }
        assertEquals(
                Files.readString(dir.resolve("sqlite/admin.token")), Files.readString(dir.resolve("back/admin.token")));

        CliRun again = cli("--config", backConfig.toString(), "store", "copy", "--from", url);
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("already holds data"), again.err());
        assertTrue(again.err().contains("copy into an empty database"), again.err());
    }

    @Test
    void refusesToCopyWhileTheHubRuns(TestDatabase postgres) throws Exception {
        Path config = config("sqlite", "sqlite", null);
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(config), Clock.systemUTC())) {
            CliRun run = cli(
                    "--config",
                    config.toString(),
                    "store",
                    "copy",
                    "--to",
                    new TestStore("postgresql", dir, postgres).storeUrl());
            assertEquals(1, run.exit(), run.toString());
            assertTrue(run.err().contains("is in use by another hub"), run.err());
            assertFalse(run.err().contains("password"), run.err());
        }
    }

    private CliRun backup(Path config) {
        return cli(
                "--config",
                config.toString(),
                "store",
                "backup",
                dir.resolve("backup.db").toString());
    }

    @Test
    void backsUpARunningHubConsistentlyWhileItWrites() throws Exception {
        Path config = config("sqlite", "sqlite", null);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(config), Clock.systemUTC())) {
            Store store = hub.runtime().store();
            store.write(h -> h.execute("CREATE TABLE pairs (n INTEGER, half INTEGER)"));
            Thread load = Thread.ofPlatform().start(() -> {
                for (int n = 0; writing.get(); n++) {
                    int pair = n;
                    store.write(h -> {
                        h.execute("INSERT INTO pairs VALUES (?, 1)", pair);
                        return h.execute("INSERT INTO pairs VALUES (?, 2)", pair);
                    });
                }
            });
            await().until(() -> store.read(h -> h.createQuery("SELECT count(*) FROM pairs")
                            .mapTo(Integer.class)
                            .one())
                    > 100);
            CliRun run = backup(config);
            writing.set(false);
            load.join();
            assertEquals(0, run.exit(), run.toString());
        }
        try (Store backup = Store.open(dir.resolve("backup.db"))) {
            assertEquals(
                    "ok",
                    backup.read(h -> h.createQuery("PRAGMA integrity_check")
                            .mapTo(String.class)
                            .one()));
            int rows = backup.read(h -> h.createQuery("SELECT count(*) FROM pairs")
                    .mapTo(Integer.class)
                    .one());
            assertTrue(rows > 100, "rows: " + rows);
            assertEquals(0, rows % 2, "every transaction whole, none half");
        }
        CliRun again = backup(config);
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("exists already: name a new file"), again.err());
    }
}
