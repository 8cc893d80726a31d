package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.app.webhooks.WebhookSignature;
import io.connectorhub.core.testing.MutableClock;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outbound webhooks against a real receiver (WireMock), with a clock the tests move by hand, on SQLite and on
 * PostgreSQL.
 */
@ExtendWith(TestPostgres.class)
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class WebhooksTest {
    private static final String LOCAL = "webhooks:\n  allowPrivateTargets: true\n";

    @Parameter
    String dialect;

    @TempDir
    Path dir;

    /** {@code store.url} on PostgreSQL, null on SQLite. */
    private String storeUrl;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private WireMockServer receiver;

    @BeforeEach
    void startReceiver(TestDatabase database) {
        storeUrl = new TestStore(dialect, dir, database).storeUrl();
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop();
    }

    private AdminHarness start(String extra) throws Exception {
        return AdminHarness.start(AdminHarness.config(dir, extra, storeUrl), clock);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.port() + path;
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static JsonNode register(AdminHarness hub, String url, String... events) throws Exception {
        return hub.ok("POST", "/api/v1/webhooks", Map.of("url", url, "events", List.of(events), "description", "t"));
    }

    private static JsonNode json(String body) {
        try {
            return AdminHarness.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static boolean signedBy(LoggedRequest r, String secret, Instant now) {
        return WebhookSignature.verify(
                secret,
                r.getHeader("webhook-id"),
                r.getHeader("webhook-timestamp"),
                r.getHeader("webhook-signature"),
                r.getBodyAsString(),
                now);
    }

    private static JsonNode firstDelivery(AdminHarness hub, String id) throws Exception {
        return hub.ok("GET", "/api/v1/webhooks/" + id + "/deliveries", null)
                .get("deliveries")
                .get(0);
    }

    @Test
    void deliversSignedEventsForWhatTheEndpointSubscribedTo() throws Exception {
        receiver.stubFor(post("/events").willReturn(ok()));
        try (AdminHarness hub = start(LOCAL)) {
            JsonNode created = register(hub, url("/events"), "message.inbound", "message.outbound");
            String secret = created.get("secret").asText();
            assertTrue(secret.startsWith("whsec_"), secret);
            assertFalse(hub.ok("GET", "/api/v1/webhooks/" + created.get("id").asText(), null)
                    .has("secret"));

            JsonNode hook = hub.ok("POST", "/api/v1/hooks", Map.of());
            hub.call(
                    "POST",
                    "/hooks/" + hook.get("id").asText(),
                    hook.get("token").asText(),
                    Map.of("text", "hello", "sender", "ci"));

            await().until(() -> received("/events").size() >= 2);
            Set<String> types = received("/events").stream()
                    .map(r -> json(r.getBodyAsString()).get("type").asText())
                    .collect(Collectors.toSet());
            assertEquals(Set.of("message.inbound", "message.outbound"), types);
            for (LoggedRequest r : received("/events")) {
                assertTrue(signedBy(r, secret, clock.instant()), r.getHeader("webhook-signature"));
                assertTrue(r.getHeader("webhook-id").startsWith("msg_"));
                assertEquals(Long.toString(clock.instant().getEpochSecond()), r.getHeader("webhook-timestamp"));
            }
            JsonNode inbound = received("/events").stream()
                    .map(r -> json(r.getBodyAsString()))
                    .filter(j -> j.get("type").asText().equals("message.inbound"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("hello", inbound.get("data").get("text").asText());
            assertEquals("hooks", inbound.get("data").get("channel").asText());
        }
    }

    @Test
    void retriesOnTheScheduleWithTheSameWebhookIdUntilTheReceiverAccepts() throws Exception {
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(serverError())
                .willSetStateTo("second"));
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("third"));
        receiver.stubFor(
                post("/flaky").inScenario("flaky").whenScenarioStateIs("third").willReturn(ok()));
        try (AdminHarness hub = start(LOCAL)) {
            String id =
                    register(hub, url("/flaky"), "message.inbound").get("id").asText();
            Instant start = clock.instant();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> received("/flaky").size() == 1);
            await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == 1);
            JsonNode pending = firstDelivery(hub, id);
            assertEquals("pending", pending.get("state").asText());
            assertEquals(500, pending.get("lastStatus").asInt());
            assertEquals(
                    start.plusSeconds(5).toString(),
                    pending.get("nextAttemptAt").asText());

            clock.advance(Duration.ofSeconds(5));
            await().until(() -> received("/flaky").size() == 2);
            await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == 2);
            assertEquals(
                    start.plusSeconds(5).plus(Duration.ofMinutes(5)).toString(),
                    firstDelivery(hub, id).get("nextAttemptAt").asText());

            clock.advance(Duration.ofMinutes(5));
            await().until(() -> firstDelivery(hub, id).get("state").asText().equals("delivered"));
            List<LoggedRequest> all = received("/flaky");
            assertEquals(3, all.size());
            assertEquals(
                    1,
                    all.stream().map(r -> r.getHeader("webhook-id")).distinct().count());
            JsonNode log = firstDelivery(hub, id).get("attemptLog");
            assertEquals(3, log.size());
            assertEquals(200, log.get(2).get("status").asInt());
        }
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() throws Exception {
        receiver.stubFor(post("/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        try (AdminHarness hub = start(LOCAL)) {
            String id = register(hub, url("/busy"), "message.inbound").get("id").asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == 1);
            assertEquals(
                    clock.instant().plusSeconds(120).toString(),
                    firstDelivery(hub, id).get("nextAttemptAt").asText());
        }
    }

    @Test
    void goneDisablesTheEndpoint() throws Exception {
        receiver.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
        try (AdminHarness hub = start(LOCAL)) {
            String id = register(hub, url("/gone"), "message.inbound").get("id").asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> !hub.ok("GET", "/api/v1/webhooks/" + id, null)
                    .get("enabled")
                    .asBoolean());
            JsonNode endpoint = hub.ok("GET", "/api/v1/webhooks/" + id, null);
            assertTrue(endpoint.get("disabledReason").asText().contains("410"));
            assertEquals("failed", firstDelivery(hub, id).get("state").asText());
            assertEquals(
                    409,
                    hub.call("POST", "/api/v1/webhooks/" + id + "/test", AdminHarness.WRITE, "{}")
                            .status());
            hub.ok("PATCH", "/api/v1/webhooks/" + id, Map.of("enabled", true));
            assertTrue(
                    hub.ok("GET", "/api/v1/webhooks/" + id, null).get("enabled").asBoolean());
        }
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        receiver.stubFor(post("/moved").willReturn(aResponse().withStatus(302).withHeader("Location", url("/new"))));
        receiver.stubFor(post("/new").willReturn(ok()));
        try (AdminHarness hub = start(LOCAL)) {
            String id =
                    register(hub, url("/moved"), "message.inbound").get("id").asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == 1);
            JsonNode d = firstDelivery(hub, id);
            assertEquals("pending", d.get("state").asText());
            assertEquals(302, d.get("lastStatus").asInt());
            assertTrue(d.get("lastError").asText().contains("redirect"), d.toString());
            assertTrue(received("/new").isEmpty());
        }
    }

    @Test
    void disablesAnEndpointThatKeepsFailing() throws Exception {
        receiver.stubFor(post("/down").willReturn(serverError()));
        try (AdminHarness hub = start(LOCAL + "  disableAfter: 1h\n")) {
            String id = register(hub, url("/down"), "message.inbound").get("id").asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            // Attempts at 0, 5s, 5m5s, 35m5s and 2h35m5s: the fifth is more than an hour into the failure streak.
            Duration[] waits = {
                Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2)
            };
            for (int i = 0; i < waits.length; i++) {
                int attempts = i + 1;
                await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == attempts);
                assertTrue(hub.ok("GET", "/api/v1/webhooks/" + id, null)
                        .get("enabled")
                        .asBoolean());
                clock.advance(waits[i]);
            }
            await().until(() -> !hub.ok("GET", "/api/v1/webhooks/" + id, null)
                    .get("enabled")
                    .asBoolean());
            assertEquals(5, received("/down").size());
            assertTrue(hub.ok("GET", "/api/v1/webhooks/" + id, null)
                    .get("disabledReason")
                    .asText()
                    .contains("without a success"));
        }
    }

    @Test
    void aRotatedSecretSignsAlongsideTheOldOneUntilTheGraceEnds() throws Exception {
        receiver.stubFor(post("/rot").willReturn(ok()));
        try (AdminHarness hub = start(LOCAL + "  rotationGrace: 1h\n")) {
            JsonNode created = register(hub, url("/rot"), "message.inbound");
            String id = created.get("id").asText();
            String old = created.get("secret").asText();
            String fresh = hub.ok("POST", "/api/v1/webhooks/" + id + "/rotate-secret", Map.of())
                    .get("secret")
                    .asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> received("/rot").size() == 1);
            LoggedRequest during = received("/rot").get(0);
            assertEquals(2, during.getHeader("webhook-signature").split(" ").length);
            assertTrue(signedBy(during, old, clock.instant()));
            assertTrue(signedBy(during, fresh, clock.instant()));

            clock.advance(Duration.ofHours(1));
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> received("/rot").size() == 2);
            LoggedRequest after = received("/rot").stream()
                    .filter(r -> !r.getHeader("webhook-id").equals(during.getHeader("webhook-id")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(1, after.getHeader("webhook-signature").split(" ").length);
            assertTrue(signedBy(after, fresh, clock.instant()));
            assertFalse(signedBy(after, old, clock.instant()));
        }
    }

    @Test
    void pendingDeliveriesSurviveARestart() throws Exception {
        receiver.stubFor(post("/later").willReturn(serverError()));
        var config = AdminHarness.config(dir, LOCAL, storeUrl);
        String id;
        String webhookId;
        try (AdminHarness hub = AdminHarness.start(config, clock)) {
            id = register(hub, url("/later"), "message.inbound").get("id").asText();
            hub.ok("POST", "/api/v1/webhooks/" + id + "/test", Map.of());
            await().until(() -> firstDelivery(hub, id).get("attempts").asInt() == 1);
            webhookId = received("/later").get(0).getHeader("webhook-id");
        }
        receiver.resetAll();
        receiver.stubFor(post("/later").willReturn(ok()));
        clock.advance(Duration.ofSeconds(5));
        try (AdminHarness hub = AdminHarness.start(config, clock)) {
            await().until(() -> firstDelivery(hub, id).get("state").asText().equals("delivered"));
            assertEquals(webhookId, received("/later").get(0).getHeader("webhook-id"));
            assertEquals(2, firstDelivery(hub, id).get("attempts").asInt());
        }
    }

    @Test
    void refusesTargetsOnPrivateNetworksUnlessAllowed() throws Exception {
        try (AdminHarness hub = start("")) {
            for (String target : List.of(
                    "http://127.0.0.1:9/x",
                    "http://169.254.169.254/latest/meta-data",
                    "http://10.1.2.3/",
                    "http://[::1]/",
                    "http://localhost/",
                    "http://198.18.0.1/",
                    "http://192.0.2.7/",
                    "http://0177.0.0.1/")) {
                AdminHarness.Reply r = hub.call(
                        "POST", "/api/v1/webhooks", AdminHarness.WRITE, Map.of("url", target, "events", List.of("*")));
                assertEquals(400, r.status(), target);
                assertTrue(r.json().get("error").asText().startsWith("url "), r.body());
                assertTrue(
                        r.body().contains("webhooks.allowPrivateTargets")
                                || r.body().contains("without leading zeros"),
                        r.body());
            }
            AdminHarness.Reply scheme = hub.call(
                    "POST",
                    "/api/v1/webhooks",
                    AdminHarness.WRITE,
                    Map.of("url", "file:///etc/passwd", "events", List.of("*")));
            assertEquals(400, scheme.status());
        }
    }

    @Test
    void reportsChannelStateChangesIncludingThoseAroundARestart() throws Exception {
        receiver.stubFor(post("/status").willReturn(ok()));
        var config = AdminHarness.config(dir, LOCAL, storeUrl);
        try (AdminHarness hub = AdminHarness.start(config, clock)) {
            register(hub, url("/status"), "channel.status");
        }
        try (AdminHarness hub = AdminHarness.start(config, clock)) {
            await().until(() -> received("/status").stream()
                    .map(r -> json(r.getBodyAsString()).get("data"))
                    .anyMatch(d -> d.get("channel").asText().equals("websocket")
                            && d.get("state").asText().equals("running")));
            Set<String> states = received("/status").stream()
                    .map(r -> json(r.getBodyAsString()).get("data").get("state").asText())
                    .collect(Collectors.toSet());
            assertTrue(states.contains("stopped"), states.toString());
            assertTrue(received("/status").stream()
                    .allMatch(
                            r -> json(r.getBodyAsString()).get("type").asText().equals("channel.status")));
        }
    }
}
