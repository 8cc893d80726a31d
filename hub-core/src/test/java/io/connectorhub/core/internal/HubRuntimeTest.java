package io.connectorhub.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.Admission;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Service;
import io.connectorhub.core.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of the runtime: the data directory's lock and permissions, the order of start-up, {@code /health}. */
class HubRuntimeTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    static HubRuntime.Settings settings(Path dataDir, int port) {
        return new HubRuntime.Settings(
                "127.0.0.1",
                port,
                1 << 20,
                dataDir,
                null,
                10,
                100,
                100,
                Duration.ofSeconds(1),
                4,
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                Duration.ofHours(1),
                Duration.ofHours(1),
                10,
                java.util.List.of(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(20));
    }

    private HubRuntime open(Path dataDir, int port) {
        HubRuntime runtime = HubRuntime.open(settings(dataDir, port), Clock.systemUTC());
        open.add(runtime);
        return runtime;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesASecondRuntimeOnTheSameDataDirectoryWithoutTouchingIt() throws Exception {
        Path data = dir.resolve("data");
        HubRuntime first = open(data, 0);
        first.start();
        long lockModified = Files.getLastModifiedTime(data.resolve("hub.lock")).toMillis();

        HubException refused = assertThrows(HubException.class, () -> open(data, 0));
        assertEquals(
                "data directory " + data + " is in use by another hub (pid "
                        + ProcessHandle.current().pid()
                        + "): stop it, or set store.dataDir (or HUB_DATA) to another directory",
                refused.getMessage());
        assertEquals(
                lockModified,
                Files.getLastModifiedTime(data.resolve("hub.lock")).toMillis());
        // The refusal in this process did not drop the OS lock: another process is refused too, and told our pid.
        assertEquals(refused.getMessage(), probe(data));
        assertEquals(200, get(first.port(), "/health").statusCode());

        first.close();
        assertEquals("locked", probe(data), "free again once the first one stopped");
        HubRuntime again = open(data, 0);
        again.start();
    }

    /** What {@link LockProbe} says about {@code data}, run as another process. */
    private static String probe(Path data) throws Exception {
        Process p = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockProbe.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aStartThatFailsOnThePortLeavesTheStoredStateAlone() throws Exception {
        HubRuntime running = open(dir.resolve("a"), 0);
        running.start();

        HubRuntime second = open(dir.resolve("b"), running.port());
        InboundMessage working = InboundMessage.builder("websocket", "m-1")
                .sender("alice")
                .chat("c1")
                .content("in progress when the hub stopped")
                .build();
        second.inbox().admit(working); // held under this instance's lease, as a crash leaves it
        String before = rows(second);

        assertThrows(Exception.class, second::start);
        assertEquals(before, rows(second), "no lease taken back, nothing pruned or expired");
        assertEquals(200, get(running.port(), "/health").statusCode());
    }

    private static String rows(HubRuntime runtime) {
        return runtime.store()
                .read(h -> h.createQuery("SELECT channel, message_id, state, owner, lease_until FROM inbox")
                        .mapToMap()
                        .list())
                .toString();
    }

    @Test
    void answers503UntilReadyAnd200Once() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int port = freePort();
        HubRuntime runtime = open(dir.resolve("data"), port);
        runtime.addRoutes(config -> config.routes.get("/api/v1/ping", ctx -> ctx.result("pong")));
        runtime.addService(new Service() {
            @Override
            public void start() throws Exception {
                starting.countDown();
                release.await();
            }

            @Override
            public void close() {}
        });
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                runtime.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(starting.await(30, TimeUnit.SECONDS));

        HttpResponse<String> health = get(port, "/health");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"starting\""), health.body());
        HttpResponse<String> other = get(port, "/api/v1/ping");
        assertEquals(503, other.statusCode(), "nothing but /health is served while starting");
        assertEquals("5", other.headers().firstValue("Retry-After").orElse(null));

        release.countDown();
        starter.join();
        health = get(port, "/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        assertEquals("pong", get(port, "/api/v1/ping").body());
    }

    @Test
    void theInboxSweepMarksAStrandedMessageExpiredOnceItIsOlderThanMaxMessageAge() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        HubRuntime runtime = HubRuntime.open(settings(dir.resolve("data"), 0), clock);
        open.add(runtime);
        List<String> toldExpired = new CopyOnWriteArrayList<>();
        runtime.addChannel(new ChannelManagerTest.FlakyChannel(0) {
            @Override
            public void expired(List<String> inboundIds) {
                toldExpired.addAll(inboundIds);
            }
        });
        runtime.start();
        InboundMessage stranded = InboundMessage.builder("flaky", "m-1")
                .sender("alice")
                .chat("c1")
                .content("stored while the bus stayed full")
                .build();
        runtime.inbox().admit(stranded);
        runtime.inbox().release(stranded); // what InboundGate does when publishing fails

        clock.advance(Duration.ofHours(1));
        runtime.sweepInbox(Duration.ofDays(1));
        assertEquals(Admission.State.PENDING, runtime.inbox().admit(stranded).state(), "exactly 1h: not older");

        clock.advance(Duration.ofSeconds(1));
        runtime.sweepInbox(Duration.ofDays(1));
        assertEquals(Admission.State.EXPIRED, runtime.inbox().admit(stranded).state());
        assertEquals(1, runtime.metrics().count("flaky", "expired"));
        assertTrue(runtime.inbox().unfinished(10).isEmpty());
        assertEquals(List.of("m-1"), toldExpired, "so a client waiting for the answer is told");
    }

    @Test
    void sendsOnceAtTheNextStartAReplyThatAStopGaveBack() throws Exception {
        HubRuntime before = open(dir.resolve("data"), 0);
        OutboundMessage reply = OutboundMessage.to("flaky", "c1", "given back");
        before.outbox().enqueue(reply);
        assertEquals(1, before.outbox().release(), "what a clean stop does with its unsent replies");
        before.close();

        HubRuntime runtime = open(dir.resolve("data"), 0);
        ChannelManagerTest.FlakyChannel channel = new ChannelManagerTest.FlakyChannel(0);
        runtime.addChannel(channel);
        runtime.start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> runtime.outbox().unsent(10).isEmpty());
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> channel.delivered.equals(List.of("given back")));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void keepsTheDataDirectoryAndEveryFileItCreatesThereToTheOwner() throws Exception {
        Path data = dir.resolve("data");
        HubRuntime runtime = open(data, 0);
        runtime.start();
        runtime.inbox()
                .admit(InboundMessage.builder("websocket", "m-1")
                        .sender("alice")
                        .chat("c1")
                        .content("a write, so the WAL exists")
                        .build());

        GeneratedSecret.loadOrCreate(data.resolve("some.token"), "test token", "test.token", null);
        assertEquals("rwx------", permissions(data));
        for (String file : List.of("hub.db", "hub.db-wal", "hub.db-shm", "instance-id", "hub.lock", "some.token"))
            assertEquals("rw-------", permissions(data.resolve(file)), file);
    }

    @Test
    void restrictsADataDirectoryAndDatabaseThatWereOpenToOthers() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String file : List.of("hub.db", "instance-id")) {
            Files.writeString(data.resolve(file), file.equals("instance-id") ? "instance-a\n" : "");
            Files.setPosixFilePermissions(data.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }

        open(data, 0).start();

        assertEquals("rwx------", permissions(data));
        assertEquals("rw-------", permissions(data.resolve("hub.db")));
        assertEquals("rw-------", permissions(data.resolve("instance-id")));
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
