package io.connectorhub.channel.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.connectorhub.channel.discord.DiscordPayloads.USER_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.Inbox;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.InboxGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The hub with the Discord channel against a fake gateway (WebSocket) and WireMock as the REST API. */
abstract class DiscordHubTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String SENT_ID = "8000000000000000008";

    @TempDir
    Path dir;

    final BlockingQueue<AgentRequest> asked = new LinkedBlockingQueue<>();
    FakeGateway gateway;
    WireMockServer rest;
    TestHub hub;
    String editInterval = "100ms";
    boolean enabled = true;

    @BeforeEach
    void fakeDiscord() throws Exception {
        gateway = new FakeGateway();
        rest = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        rest.start();
        gateway.stubRestApi(rest, SENT_ID);
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        rest.stop();
        gateway.close();
    }

    void startHub(String extra, Agent agent) throws Exception {
        hub = TestHub.start(dir, """
                channels:
                  discord:
                    enabled: %s
                    token: fake-bot-token
                    allowFrom: ["%s"]
                    apiUrl: http://127.0.0.1:%d/api/v10/
                    streamEditInterval: %s
                %s""".formatted(enabled, USER_ID, rest.port(), editInterval, extra), agent);
    }

    void startHub() throws Exception {
        startHub("", (request, stream) -> {
            asked.add(request);
            return "You said: " + request.text();
        });
    }

    /**
     * Starts the hub without its own Discord channel and adds one built here: with the hub's inbox and bus as
     * {@code inbox} and {@code bus} wrap them, a short first wait before handing a message in again, and typing
     * repeated every {@code typingEvery}.
     */
    void startHubWithChannel(
            Agent agent, UnaryOperator<Inbox> inbox, UnaryOperator<MessageBus> bus, Duration typingEvery)
            throws Exception {
        enabled = false;
        startHub("", agent);
        HubRuntime runtime = hub.runtime();
        ChannelContext given = runtime.channelContext();
        ChannelContext context = new ChannelContext(
                new InboxGate(inbox.apply(runtime.inbox()), bus.apply(runtime.bus()), runtime.metrics()),
                given.sessions(),
                given.outbox(),
                given.http(),
                given.dataDir(),
                given.states(),
                given.metrics(),
                given.clock(),
                given.authFailures(),
                given.agents(),
                given.users(),
                given.revocations(),
                given.secrets());
        ChannelSection<?> section = hub.config().channels().section(DiscordChannel.NAME);
        DiscordChannel channel = new DiscordChannel(
                section.common(), (DiscordSettings) section.settings(), context, Duration.ofMillis(50), typingEvery);
        runtime.addChannel(channel); // the hub sends its replies and stops it on close
        channel.start();
        channel.openConnection();
    }

    int typingPostedTo(String channelId) {
        return rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + channelId + "/typing")))
                .size();
    }

    List<JsonNode> sentTo(String channelId) {
        return rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + channelId + "/messages"))).stream()
                .map(DiscordChannelTest::body)
                .toList();
    }

    List<String> contentsSentTo(String channelId) {
        return sentTo(channelId).stream().map(b -> b.path("content").asText()).toList();
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return FakeGateway.JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + request.getBodyAsString(), e);
        }
    }

    static String json(Object value) {
        return FakeGateway.JSON.valueToTree(value).toString();
    }

    ChannelStatus status() {
        return hub.runtime().channels().statuses().stream()
                .filter(s -> s.name().equals("discord"))
                .findFirst()
                .orElseThrow();
    }
}
