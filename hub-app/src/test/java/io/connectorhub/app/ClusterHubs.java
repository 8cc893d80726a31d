package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hubs of one test on one PostgreSQL database, each an instance with its own data directory under {@code dir}, whose
 * agent is a fake OpenAI API on loopback (WireMock). {@link #close()} closes what was opened, the last first.
 */
final class ClusterHubs implements AutoCloseable {
    private final Path dir;
    private final TestDatabase database;
    private final TestStore store;
    private final WireMockServer llm =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Starts the fake LLM. */
    ClusterHubs(Path dir, TestDatabase database) {
        this.dir = dir;
        this.database = database;
        this.store = new TestStore("postgresql", dir, database);
        llm.start();
    }

    /**
     * The LLM streams {@code pieces}: its first answer comes after {@code firstDelayMillis} (the instance asking is
     * still answering meanwhile), every later one at once.
     */
    void llmStreams(int firstDelayMillis, String... pieces) {
        String sse = Stream.of(pieces)
                        .map(p -> "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + p + "\"}}]}\n\n")
                        .collect(Collectors.joining())
                + "data: [DONE]\n\n";
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)
                        .withFixedDelay(firstDelayMillis)));
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)));
    }

    /** Starts instance {@code instance} with the LLM as its agent and {@code extra} YAML. */
    Hub hub(String instance, String extra) throws Exception {
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

    /** A WebSocket client of {@code hub} with the shared token. */
    WsTestClient client(Hub hub) {
        WsTestClient c = WsTestClient.authorized(
                hub.port(), StoredSecrets.read(store.url(), "websocket.token").orElseThrow());
        open.add(c);
        return c;
    }

    /** The first column of what {@code sql} selects in the database. */
    List<String> column(String sql) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (r.next()) values.add(r.getString(1));
            return values;
        }
    }

    int llmCalls() {
        return llm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).size();
    }

    TestStore store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        llm.stop();
    }
}
