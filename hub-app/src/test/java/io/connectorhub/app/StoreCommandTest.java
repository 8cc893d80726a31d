package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Instances;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
        assertTrue(to.out().contains("and 3 generated secrets from hub.db to postgresql"), to.out());
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

    /** A SQLite data directory whose accounts were used: a user signed in from a device, and the signing keys. */
    private void fillAccounts(Path data) throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve("signing-keys.json"), SIGNING_KEYS);
        try (Store store = Store.open(data.resolve("hub.db"))) {
            store.state("accounts");
            store.write(h -> {
                h.execute("INSERT INTO users (id, username, username_key, password_hash, role, status, created_at)"
                        + " VALUES ('u1', 'ada', 'ada', '" + PASSWORD_HASH + "', 'admin', 'active', 1)");
                h.execute("INSERT INTO devices (id, user_id, name, public_key, created_at)"
                        + " VALUES ('d1', 'u1', 'laptop', 'AAAA', 2)");
                h.execute("INSERT INTO refresh_families (id, user_id, device_id, created_at)"
                        + " VALUES ('f1', 'u1', 'd1', 3)");
                return h.execute("INSERT INTO refresh_tokens (hash, family_id, user_id, issued_at, expires_at)"
                        + " VALUES ('h1', 'f1', 'u1', 3, 4)");
            });
        }
    }

    private static final String PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$never-printed";
    private static final String SIGNING_KEYS = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\","
            + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}]}";

    @Test
    void copiesAHubWhoseAccountsWereUsedWithItsSigningKeysToPostgresAndBackPrintingOnlyItsOwnLines(
            TestDatabase postgres) throws Exception {
        TestStore pgStore = new TestStore("postgresql", dir, postgres);
        Path sqliteConfig = config("sqlite", "sqlite", null);
        fillAccounts(dir.resolve("sqlite"));

        CliRun to;
        try (LogCapture logs = new LogCapture()) {
            to = cli("--config", sqliteConfig.toString(), "store", "copy", "--to", pgStore.storeUrl());
            assertEquals(
                    List.of(),
                    logs.events().stream()
                            .filter(e -> !e.getLevel().isGreaterOrEqual(Level.WARN))
                            .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                            .toList());
        }
        assertEquals(0, to.exit(), to.toString());
        for (String line : to.out().lines().toList()) assertTrue(line.startsWith("Copied "), to.out());
        assertTrue(to.out().contains("Copied 1 rows of devices"), to.out());
        assertTrue(to.out().contains("Copied 1 rows of refresh_tokens"), to.out());
        assertTrue(to.out().contains("and 1 generated secrets from hub.db"), to.out());
        assertEquals(
                SIGNING_KEYS,
                StoredSecrets.read(pgStore.url(), "accounts.signing-keys").orElseThrow());

        Path backConfig = config("back", "back", null);
        CliRun from = cli("--config", backConfig.toString(), "store", "copy", "--from", pgStore.storeUrl());
        assertEquals(0, from.exit(), from.toString());
        Path keys = dir.resolve("back/signing-keys.json");
        assertEquals(SIGNING_KEYS, Files.readString(keys).strip());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keys));
        try (Store back = Store.open(dir.resolve("back/hub.db"))) {
            back.state("accounts");
            assertEquals(
                    List.of("u1 " + PASSWORD_HASH),
                    back.read(h -> h.createQuery("SELECT id || ' ' || password_hash FROM users")
                            .mapTo(String.class)
                            .list()));
        }
    }

    @Test
    void refusesAPostgresDatabaseThatAHubInstanceHasBeatenInRecently(TestDatabase postgres) throws Exception {
        TestStore pgStore = new TestStore("postgresql", dir, postgres);
        try (Store pg = pgStore.open()) {
            new Instances(pg, Clock.systemUTC()).beat("live-7", Instant.now(), new Instances.Queues(0, 0));
            new Instances(pg, Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                    .beat("dead-3", Instant.now(), new Instances.Queues(0, 0));
        }
        Path sqliteConfig = config("sqlite", "sqlite", null);
        fillAccounts(dir.resolve("sqlite"));
        for (String direction : List.of("--to", "--from")) {
            Path config = direction.equals("--to") ? sqliteConfig : config("empty", "empty", null);
            CliRun run = cli("--config", config.toString(), "store", "copy", direction, pgStore.storeUrl());
            assertEquals(1, run.exit(), run.toString());
            assertEquals(
                    "hub: postgresql " + pgStore.url().address() + " is in use by hub instance live-7 (a heartbeat"
                            + " within cluster.deadAfter, 20s): stop it before copying",
                    run.err().strip());
        }
        try (Store pg = pgStore.open()) {
            pg.state("accounts");
            int users = pg.read(h -> h.createQuery("SELECT count(*) FROM users")
                    .mapTo(Integer.class)
                    .one());
            assertEquals(0, users, "nothing copied");
        }
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
