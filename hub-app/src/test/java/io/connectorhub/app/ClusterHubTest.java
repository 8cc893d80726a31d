package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs on one PostgreSQL database, each with its own data directory (instance id): heartbeats in the status,
 * take-over of a dead instance's messages, a clean stop's wake-up, the {@code hub_instance} label.
 */
@ExtendWith(TestPostgres.class)
class ClusterHubTest {
    /** The LLM's first answer takes this long: the instance asking it is still answering when the test acts. */
    private static final int SLOW_MILLIS = 12_000;

    @TempDir
    Path dir;

    private TestStore store;
    private TestDatabase database;
    private final WireMockServer llm =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start(TestDatabase database) {
        this.database = database;
        this.store = new TestStore("postgresql", dir, database);
        llm.start();
        // The first call hangs (the instance that makes it is busy answering); every later one answers at once.
        String sse = """
                data: {"choices":[{"index":0,"delta":{"content":"Answered"}}]}

                data: [DONE]

                """;
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)
                        .withFixedDelay(SLOW_MILLIS)));
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        llm.stop();
    }

    private Hub hub(String instance, String extra) throws Exception {
        HubConfig config = InstanceConfig.load(dir, instance, store.storeUrl(), """
                agents:
                  gpt: {type: openai, baseUrl: "%s/v1", model: test-model, maxRetries: 0, timeout: 60s}
                routing:
                  defaultAgent: gpt
                %s
                """.formatted(llm.baseUrl(), extra));
        Hub hub = Hub.start(config, Clock.systemUTC());
        open.add(hub);
        return hub;
    }

    private WsTestClient client(Hub hub) {
        WsTestClient c = WsTestClient.authorized(
                hub.port(), StoredSecrets.read(store.url(), "websocket.token").orElseThrow());
        open.add(c);
        return c;
    }

    private List<String> column(String sql) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (r.next()) values.add(r.getString(1));
            return values;
        }
    }

    private int llmCalls() {
        return llm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).size();
    }

    private static HttpResponse<String> get(Hub hub, String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsEveryInstanceInTheStatusAndLabelsItsMetricsWithItsInstanceId() throws Exception {
        Hub a = hub("a", "");
        Hub b = hub("b", "");
        String admin = StoredSecrets.read(store.url(), "admin.token").orElseThrow();
        String idA = Files.readString(dir.resolve("a/instance-id")).strip();
        String idB = Files.readString(dir.resolve("b/instance-id")).strip();

        JsonNode status =
                new ObjectMapper().readTree(get(b, "/api/v1/status", admin).body());
        JsonNode instances = status.get("instances");
        Set<String> ids = Set.copyOf(StreamSupport.stream(instances.spliterator(), false)
                .map(i -> i.get("id").asText())
                .toList());
        assertEquals(Set.of(idA, idB), ids, status.toString());
        for (JsonNode i : instances) {
            assertTrue(i.get("startedAt").isTextual() && i.get("lastSeen").isTextual(), i.toString());
            assertEquals(0, i.get("queues").get("inbound").asInt(), i.toString());
        }

        String metrics = get(a, "/metrics", admin).body();
        assertTrue(metrics.contains("hub_uptime_seconds{hub_instance=\"" + idA + "\"}"), metrics);
        assertFalse(metrics.contains("{instance=") || metrics.contains(",instance="), "Prometheus owns instance");
    }

    @Test
    void answersOnAnotherInstanceOnceAndInOrderTheMessagesOfAnInstanceThatStoppedBeating() throws Exception {
        String fast = """
                cluster: {heartbeat: 1s, deadAfter: 3s}
                """;
        Hub a = hub("a", fast);
        hub("b", fast);
        WsTestClient c = client(a);
        c.request("chat.send", Map.of("text", "first", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> llmCalls() == 1); // a is answering "first"
        c.request("chat.send", Map.of("text", "second", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> column("SELECT count(*) FROM inbox").equals(List.of("2")));

        // a dies: from now on nothing it does reaches the database (no heartbeat, no answer), while its threads,
        // the one waiting for the LLM among them, carry on as a hung process's would.
        a.runtime().store().close();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> column("SELECT count(*) FROM inbox WHERE state = 'done'")
                        .equals(List.of("2")));
        assertEquals(
                List.of("user:first", "assistant:Answered", "user:second", "assistant:Answered"),
                column("SELECT role || ':' || content FROM messages ORDER BY seq"));
        assertEquals(List.of("2"), column("SELECT count(*) FROM outbox"), "one reply per message");
    }

    @Test
    void aCleanStopWakesAnotherInstanceToAnswerWhatWasQueuedWithoutWaitingForTheSweep() throws Exception {
        Hub a = hub("a", "agentLoop: {concurrency: 1}");
        hub("b", "");
        WsTestClient c = client(a);
        c.request("chat.send", Map.of("text", "first", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> llmCalls() == 1); // a's one worker is busy
        c.request("chat.send", Map.of("text", "queued", "session_key", "s2"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> column("SELECT count(*) FROM inbox").equals(List.of("2")));

        a.close(); // hands "queued" back and wakes b, which the sweep would reach only after 30 s

        await().atMost(Duration.ofSeconds(8))
                .until(() -> column("SELECT state FROM inbox WHERE payload LIKE '%queued%'")
                        .equals(List.of("done")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> column("SELECT count(*) FROM inbox WHERE state = 'done'")
                        .equals(List.of("2")));
        assertEquals(List.of("2"), column("SELECT count(*) FROM outbox"), "one reply per message");
    }
}
