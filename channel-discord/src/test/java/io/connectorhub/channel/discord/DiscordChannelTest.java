package io.connectorhub.channel.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.connectorhub.channel.discord.DiscordPayloads.BOT_ID;
import static io.connectorhub.channel.discord.DiscordPayloads.DM_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.OTHER_BOT_ID;
import static io.connectorhub.channel.discord.DiscordPayloads.OTHER_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.TEXT_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.THREAD;
import static io.connectorhub.channel.discord.DiscordPayloads.USER_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.core.Admission;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelStatus;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubRuntime;
import io.connectorhub.core.InboundGate;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import io.connectorhub.core.MediaRef;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscordChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SENT_ID = "8000000000000000008";

    @TempDir
    Path dir;

    private final BlockingQueue<AgentRequest> asked = new LinkedBlockingQueue<>();
    private FakeGateway gateway;
    private WireMockServer rest;
    private TestHub hub;
    private String editInterval = "100ms";
    private boolean enabled = true;

    @BeforeEach
    void fakeDiscord() throws Exception {
        gateway = new FakeGateway();
        rest = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        rest.start();
        rest.stubFor(get("/api/v10/users/@me").willReturn(okJson(json(DiscordPayloads.self()))));
        rest.stubFor(get("/api/v10/gateway/bot")
                .willReturn(okJson(json(Map.of(
                        "url",
                        gateway.url(),
                        "shards",
                        1,
                        "session_start_limit",
                        Map.of("total", 1000, "remaining", 999, "reset_after", 0, "max_concurrency", 1))))));
        for (String channel : List.of(DM_CHANNEL, TEXT_CHANNEL, THREAD, OTHER_CHANNEL)) {
            String messages = "/api/v10/channels/" + channel + "/messages";
            rest.stubFor(
                    post(urlPathEqualTo(messages)).willReturn(okJson(json(DiscordPayloads.sent(SENT_ID, channel)))));
            rest.stubFor(patch(urlPathEqualTo(messages + "/" + SENT_ID))
                    .willReturn(okJson(json(DiscordPayloads.sent(SENT_ID, channel)))));
        }
        rest.stubFor(post(urlPathMatching("/api/v10/channels/\\d+/typing")).willReturn(noContent()));
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        rest.stop();
        gateway.close();
    }

    private void startHub(String extra, Agent agent) throws Exception {
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

    private void startHub() throws Exception {
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
    private void startHubWithChannel(
            Agent agent, UnaryOperator<Inbox> inbox, UnaryOperator<MessageBus> bus, Duration typingEvery)
            throws Exception {
        enabled = false;
        startHub("", agent);
        HubRuntime runtime = hub.runtime();
        ChannelContext given = runtime.channelContext();
        ChannelContext context = new ChannelContext(
                new InboundGate(inbox.apply(runtime.inbox()), bus.apply(runtime.bus()), runtime.metrics()),
                given.sessions(),
                given.outbox(),
                given.http(),
                given.dataDir(),
                given.store(),
                given.metrics(),
                given.clock());
        DiscordChannel channel =
                new DiscordChannel(hub.config().channels().discord(), context, Duration.ofMillis(50), typingEvery);
        runtime.addChannel(channel); // the hub sends its replies and stops it on close
        channel.start();
    }

    private int typingPostedTo(String channelId) {
        return rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + channelId + "/typing")))
                .size();
    }

    private List<JsonNode> sentTo(String channelId) {
        return rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + channelId + "/messages"))).stream()
                .map(DiscordChannelTest::body)
                .toList();
    }

    private List<String> contentsSentTo(String channelId) {
        return sentTo(channelId).stream().map(b -> b.path("content").asText()).toList();
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return FakeGateway.JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + request.getBodyAsString(), e);
        }
    }

    private static String json(Object value) {
        return FakeGateway.JSON.valueToTree(value).toString();
    }

    @Test
    void answersADirectMessageWithAReplyThatReferencesIt() throws Exception {
        startHub();
        Map<String, Object> hello = DiscordPayloads.fromUser(DM_CHANNEL, false, "hello");
        hello.put(
                "attachments",
                List.of(Map.of(
                        "id", "9000000000000000009",
                        "filename", "cat.png",
                        "size", 1234,
                        "url", "https://cdn.discordapp.com/attachments/1/2/cat.png",
                        "proxy_url", "https://media.discordapp.net/attachments/1/2/cat.png",
                        "content_type", "image/png")));
        gateway.dispatch("MESSAGE_CREATE", hello);

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: hello"));
        JsonNode reply = sentTo(DM_CHANNEL).getFirst();
        assertEquals(
                hello.get("id"),
                reply.path("message_reference").path("message_id").asText());
        String nonce = reply.path("nonce").asText();
        assertTrue(!nonce.isEmpty() && nonce.length() <= 25, "Discord takes nonces of up to 25 characters: " + nonce);
        assertTrue(reply.path("enforce_nonce").asBoolean());
        assertEquals(
                1,
                rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + DM_CHANNEL + "/typing")))
                        .size());

        InboundMessage in = asked.take().message();
        assertEquals(hello.get("id"), in.id());
        assertEquals(USER_ID, in.senderId());
        assertEquals(DM_CHANNEL, in.chatId());
        assertEquals("discord:" + DM_CHANNEL, in.sessionKey());
        assertEquals(
                List.of(new MediaRef(
                        "image", "https://cdn.discordapp.com/attachments/1/2/cat.png", "cat.png", "image/png", 1234)),
                in.media());
    }

    @Test
    void handlesEachDiscordMessageOnceAndKeepsTheReplyReference() throws Exception {
        startHub();
        Map<String, Object> first = DiscordPayloads.fromUser(DM_CHANNEL, false, "once");
        gateway.dispatch("MESSAGE_CREATE", first);
        gateway.dispatch("MESSAGE_CREATE", first); // the same message id again
        Map<String, Object> second = DiscordPayloads.fromUser(DM_CHANNEL, false, "twice?");
        second.put("message_reference", Map.of("message_id", first.get("id"), "channel_id", DM_CHANNEL));
        second.put("referenced_message", first);
        gateway.dispatch("MESSAGE_CREATE", second);

        // One session is answered in order, so once the second message is answered the duplicate was handled.
        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: twice?"));
        assertEquals(List.of("You said: once", "You said: twice?"), contentsSentTo(DM_CHANNEL));
        asked.take();
        assertEquals(first.get("id"), asked.take().message().replyTo());
    }

    @Test
    void answersInServerChannelsOnlyWhenMentionedOrRepliedTo() throws Exception {
        startHub();
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(TEXT_CHANNEL, true, "just chatting"));
        gateway.dispatch(
                "MESSAGE_CREATE",
                DiscordPayloads.message(
                        DiscordPayloads.nextId(),
                        TEXT_CHANNEL,
                        true,
                        DiscordPayloads.user(OTHER_BOT_ID, "otherbot", true),
                        "<@" + BOT_ID + "> from a bot"));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(TEXT_CHANNEL, true, "<@" + BOT_ID + "> hi bot"));
        Map<String, Object> botMessage =
                DiscordPayloads.message(SENT_ID, TEXT_CHANNEL, true, DiscordPayloads.self(), "earlier answer");
        Map<String, Object> reply = DiscordPayloads.fromUser(TEXT_CHANNEL, true, "and a reply");
        reply.put("message_reference", Map.of("message_id", SENT_ID, "channel_id", TEXT_CHANNEL));
        reply.put("referenced_message", botMessage);
        gateway.dispatch("MESSAGE_CREATE", reply);
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(THREAD, true, "<@" + BOT_ID + "> in a thread"));

        await().atMost(WAIT).until(() -> contentsSentTo(THREAD).contains("You said: in a thread"));
        await().atMost(WAIT).until(() -> contentsSentTo(TEXT_CHANNEL).size() == 2);
        assertEquals(List.of("You said: hi bot", "You said: and a reply"), contentsSentTo(TEXT_CHANNEL));

        List<String> sessions =
                asked.stream().map(AgentRequest::sessionKey).distinct().toList();
        assertTrue(sessions.contains("discord:" + TEXT_CHANNEL), sessions.toString());
        assertTrue(sessions.contains("discord:thread:" + THREAD), sessions.toString());
        assertEquals(3, asked.size());
    }

    @Test
    void listensOnlyInAllowedChannelsAndAnswersEverythingWhenOpen() throws Exception {
        startHub("    groupPolicy: open\n    allowChannels: [\"" + TEXT_CHANNEL + "\"]\n", (request, stream) -> {
            asked.add(request);
            return "You said: " + request.text();
        });
        gateway.dispatch(
                "MESSAGE_CREATE", DiscordPayloads.fromUser(OTHER_CHANNEL, true, "<@" + BOT_ID + "> elsewhere"));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(TEXT_CHANNEL, true, "no mention needed"));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(THREAD, true, "thread of an allowed channel"));

        await().atMost(WAIT).until(() -> contentsSentTo(THREAD).size() == 1);
        assertEquals(List.of("You said: no mention needed"), contentsSentTo(TEXT_CHANNEL));
        assertEquals(List.of(), contentsSentTo(OTHER_CHANNEL));
    }

    @Test
    void splitsALongReplyIntoMessagesOfAtMost2000Characters() throws Exception {
        String longReply = ("A line of the long answer that goes on. ".repeat(20) + "\n").repeat(6); // ~4900 chars
        startHub("", (request, stream) -> longReply);
        Map<String, Object> question = DiscordPayloads.fromUser(DM_CHANNEL, false, "tell me everything");
        gateway.dispatch("MESSAGE_CREATE", question);

        await().atMost(WAIT).until(() -> sentTo(DM_CHANNEL).size() == 3);
        List<JsonNode> parts = sentTo(DM_CHANNEL);
        for (JsonNode part : parts) assertTrue(part.path("content").asText().length() <= 2000);
        assertEquals(
                question.get("id"),
                parts.get(0).path("message_reference").path("message_id").asText());
        assertTrue(parts.get(1).path("message_reference").isMissingNode());
        assertEquals(
                longReply.replace("\n", "").replace(" ", ""),
                String.join("", contentsSentTo(DM_CHANNEL)).replace("\n", "").replace(" ", ""));
    }

    @Test
    void streamsAReplyIntoOneMessageEditedAtABoundedRate() throws Exception {
        editInterval = "1h"; // no edit is due while the pieces arrive: only the final text is edited in
        startHub("", (request, stream) -> {
            for (int i = 0; i < 20; i++) stream.accept(i == 0 ? "Thinking" : ".");
            return "Thinking about it: done.";
        });
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "stream please"));

        String editPath = "/api/v10/channels/" + DM_CHANNEL + "/messages/" + SENT_ID;
        await().atMost(WAIT)
                .until(() -> !rest.findAll(patchRequestedFor(urlPathEqualTo(editPath)))
                        .isEmpty());
        List<String> edits = rest.findAll(patchRequestedFor(urlPathEqualTo(editPath))).stream()
                .map(r -> body(r).path("content").asText())
                .toList();
        assertEquals(List.of("Thinking about it: done."), edits);
        assertEquals(List.of("Thinking"), contentsSentTo(DM_CHANNEL), "one message for the whole stream");
    }

    @Test
    void editsAStreamedReplyAsPiecesArriveOnceTheIntervalHasPassed() throws Exception {
        editInterval = "1ms";
        String editPath = "/api/v10/channels/" + DM_CHANNEL + "/messages/" + SENT_ID;
        startHub("", (request, stream) -> {
            stream.accept("Thinking");
            await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).size() == 1);
            stream.accept(" harder");
            await().atMost(WAIT)
                    .until(() -> !rest.findAll(patchRequestedFor(urlPathEqualTo(editPath)))
                            .isEmpty());
            return "Thinking harder: done.";
        });
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "stream please"));

        await().atMost(WAIT)
                .until(() -> rest.findAll(patchRequestedFor(urlPathEqualTo(editPath)))
                                .size()
                        == 2);
        List<String> edits = rest.findAll(patchRequestedFor(urlPathEqualTo(editPath))).stream()
                .map(r -> body(r).path("content").asText())
                .toList();
        assertEquals(List.of("Thinking harder", "Thinking harder: done."), edits);
        assertEquals(List.of("Thinking"), contentsSentTo(DM_CHANNEL));
    }

    @Test
    void aRepeatedFinalReplyAfterAFailedEditEditsTheStreamedMessageAgain() throws Exception {
        editInterval = "1h";
        String editPath = "/api/v10/channels/" + DM_CHANNEL + "/messages/" + SENT_ID;
        // A 500 is not retried by JDA (only 502-504 are): the final edit fails and the hub records the reply failed.
        rest.stubFor(patch(urlPathEqualTo(editPath))
                .inScenario("edit fails once")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"500: Internal Server Error\", \"code\": 0}"))
                .willSetStateTo("recovered"));
        rest.stubFor(patch(urlPathEqualTo(editPath))
                .inScenario("edit fails once")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson(json(DiscordPayloads.sent(SENT_ID, DM_CHANNEL)))));
        startHub("", (request, stream) -> {
            stream.accept("Thinking");
            return "Thinking: done.";
        });
        Map<String, Object> question = DiscordPayloads.fromUser(DM_CHANNEL, false, "stream please");
        gateway.dispatch("MESSAGE_CREATE", question);

        await().atMost(WAIT)
                .until(() -> rest.findAll(patchRequestedFor(urlPathEqualTo(editPath)))
                                .size()
                        == 1);
        OutboundMessage reply = await().atMost(WAIT)
                .until(
                        () -> hub.runtime().outbox().replyTo("discord", (String) question.get("id")),
                        Optional::isPresent)
                .orElseThrow();
        // Delivering the same reply again (as a repeated delivery does) must finish the streamed message.
        hub.runtime().channels().channel("discord").send(reply);

        List<String> edits = rest.findAll(patchRequestedFor(urlPathEqualTo(editPath))).stream()
                .map(r -> body(r).path("content").asText())
                .toList();
        assertEquals(List.of("Thinking: done.", "Thinking: done."), edits);
        assertEquals(List.of("Thinking"), contentsSentTo(DM_CHANNEL), "no second message with the reply");
    }

    @Test
    void takesAMessageOnALaterTryWhenTheStoreFailsAtFirst() throws Exception {
        AtomicInteger admits = new AtomicInteger();
        startHubWithChannel(
                (request, stream) -> {
                    asked.add(request);
                    return "You said: " + request.text();
                },
                real -> new Inbox() {
                    @Override
                    public Admission admit(InboundMessage message) {
                        if (admits.incrementAndGet() <= 2) throw new HubException("the disk is full");
                        return real.admit(message);
                    }

                    @Override
                    public boolean claim(InboundMessage message, Duration lease) {
                        return real.claim(message, lease);
                    }

                    @Override
                    public void finish(InboundMessage message, Admission.State state) {
                        real.finish(message, state);
                    }

                    @Override
                    public List<InboundMessage> unfinished(Duration olderThan, int limit) {
                        return real.unfinished(olderThan, limit);
                    }
                },
                bus -> bus,
                Duration.ofSeconds(8));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "still there?"));

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: still there?"));
        assertEquals(3, admits.get(), "two failed tries, then stored");
        assertEquals(1, asked.size());
    }

    @Test
    void handsAMessageInAgainWhenTheBusWasFullAfterItWasStored() throws Exception {
        AtomicInteger publishes = new AtomicInteger();
        startHubWithChannel(
                (request, stream) -> {
                    asked.add(request);
                    return "You said: " + request.text();
                },
                inbox -> inbox,
                real -> new MessageBus() {
                    @Override
                    public void publishInbound(InboundMessage message) {
                        if (publishes.incrementAndGet() == 1) {
                            throw new BusFullException("inbound", 1, Duration.ofMillis(10));
                        }
                        real.publishInbound(message);
                    }

                    @Override
                    public InboundMessage takeInbound(Duration wait) throws InterruptedException {
                        return real.takeInbound(wait);
                    }

                    @Override
                    public void publishOutbound(OutboundMessage message) {
                        real.publishOutbound(message);
                    }

                    @Override
                    public OutboundMessage takeOutbound(Duration wait) throws InterruptedException {
                        return real.takeOutbound(wait);
                    }

                    @Override
                    public int inboundDepth() {
                        return real.inboundDepth();
                    }

                    @Override
                    public int outboundDepth() {
                        return real.outboundDepth();
                    }
                },
                Duration.ofSeconds(8));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "stored, not queued"));

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: stored, not queued"));
        assertEquals(2, publishes.get(), "the second try publishes the stored message");
        assertEquals(List.of("You said: stored, not queued"), contentsSentTo(DM_CHANNEL));
        assertEquals(1, asked.size());
    }

    @Test
    void keepsShowingTypingWhileTheAgentWorksAndStopsWithTheReply() throws Exception {
        startHubWithChannel(
                (request, stream) -> {
                    // A slow agent: it answers once Discord was told three times that the bot is typing.
                    await().atMost(WAIT).until(() -> typingPostedTo(DM_CHANNEL) >= 3);
                    return "Done thinking.";
                },
                inbox -> inbox,
                bus -> bus,
                Duration.ofMillis(200));
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "think hard"));

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("Done thinking."));
        await().atMost(WAIT).until(() -> hub.runtime().outbox().unsent(10).isEmpty()); // the send returned
        int typed = typingPostedTo(DM_CHANNEL);
        // At most one indicator already on its way when the reply went out; no more repeats after it.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> typingPostedTo(DM_CHANNEL) <= typed + 1);
    }

    @Test
    void waitsOutA429BeforeSendingAgain() throws Exception {
        String path = "/api/v10/channels/" + DM_CHANNEL + "/messages";
        rest.stubFor(post(urlPathEqualTo(path))
                .inScenario("rate limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "1")
                        .withHeader("X-RateLimit-Scope", "user")
                        .withHeader("Via", "1.1 google")
                        .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":false}"))
                .willSetStateTo("limited"));
        rest.stubFor(post(urlPathEqualTo(path))
                .inScenario("rate limit")
                .whenScenarioStateIs("limited")
                .willReturn(okJson(json(DiscordPayloads.sent(SENT_ID, DM_CHANNEL)))));
        startHub();
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "busy?"));

        await().atMost(WAIT).until(() -> sentTo(DM_CHANNEL).size() == 2);
        List<LoggedRequest> attempts = rest.findAll(postRequestedFor(urlPathEqualTo(path)));
        long waited = attempts.get(1).getLoggedDate().getTime()
                - attempts.get(0).getLoggedDate().getTime();
        assertTrue(waited >= 900, "the second attempt came " + waited + " ms after the 429 that asked for 1 s");
        assertEquals(body(attempts.get(0)).path("nonce"), body(attempts.get(1)).path("nonce"));
        await().atMost(WAIT).until(() -> hub.runtime().outbox().unsent(10).isEmpty());
    }

    @Test
    void resumesAfterADroppedConnectionAndGetsTheMessageSentMeanwhile() throws Exception {
        startHub();
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "before"));
        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: before"));

        int missed = gateway.dropAndDispatch(
                "MESSAGE_CREATE", DiscordPayloads.fromUser(DM_CHANNEL, false, "during the gap"));

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: during the gap"));
        assertEquals(List.of(2, 6), gateway.opsReceived(), "one IDENTIFY, then a RESUME (no second IDENTIFY)");
        JsonNode resume = gateway.received().stream()
                .filter(f -> f.path("op").asInt() == 6)
                .findFirst()
                .orElseThrow();
        assertEquals("fake-session-1", resume.path("d").path("session_id").asText());
        assertEquals(missed - 1, resume.path("d").path("seq").asInt());
        assertEquals(List.of(missed), gateway.replayed());
        await().atMost(WAIT).until(() -> status().lastError() == null);
    }

    @Test
    void fetchesTheMessagesOfTheGapWhenDiscordRefusesToResume() throws Exception {
        startHub();
        Map<String, Object> before = DiscordPayloads.fromUser(DM_CHANNEL, false, "before");
        gateway.dispatch("MESSAGE_CREATE", before);
        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: before"));

        Map<String, Object> missed = DiscordPayloads.fromUser(DM_CHANNEL, false, "lost with the session");
        rest.stubFor(get(urlPathEqualTo("/api/v10/channels/" + DM_CHANNEL + "/messages"))
                .withQueryParam("after", equalTo((String) before.get("id")))
                .willReturn(okJson(json(List.of(missed)))));
        rest.stubFor(post("/api/v10/users/@me/channels")
                .willReturn(okJson(json(Map.of(
                        "id",
                        DM_CHANNEL,
                        "type",
                        1,
                        "recipients",
                        List.of(DiscordPayloads.user(USER_ID, "alice", false)))))));
        gateway.refuseResumes();
        gateway.dropAndDispatch("MESSAGE_CREATE", missed);

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: lost with the session"));
        assertEquals(List.of(2, 6, 2), gateway.opsReceived(), "IDENTIFY, refused RESUME, new IDENTIFY");
        assertEquals(List.of(), gateway.replayed());
        assertEquals(List.of("You said: before", "You said: lost with the session"), contentsSentTo(DM_CHANNEL));
    }

    @Test
    void stopsWithAClearErrorWhenTheMessageContentIntentIsNotEnabled() throws Exception {
        gateway.refuseIntents();
        startHub();

        ChannelStatus status = status();
        assertEquals(ChannelStatus.State.FAILED, status.state());
        assertTrue(status.lastError().contains("MESSAGE CONTENT INTENT"), status.lastError());
        assertTrue(status.lastError().contains("4014"), status.lastError());
        // No retry loop: the refused IDENTIFY stays the only one.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> gateway.opsReceived().equals(List.of(2)));
    }

    @Test
    void aSessionEndedForGoodAfterStartShowsTheChannelFailed() throws Exception {
        startHub();
        assertEquals(ChannelStatus.State.RUNNING, status().state());

        gateway.closeWith(4014, "Disallowed intent(s).");

        await().atMost(WAIT).until(() -> status().state() == ChannelStatus.State.FAILED);
        assertTrue(status().lastError().contains("MESSAGE CONTENT INTENT"), status().lastError());
        assertEquals(
                "failed", ((Map<?, ?>) hub.runtime().health().get("channels")).get("discord"), "/health shows it too");
    }

    @Test
    void failsToStartWithAMessageNamingTheTokenWhenDiscordRefusesIt() throws Exception {
        rest.stubFor(get("/api/v10/users/@me")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"401: Unauthorized\", \"code\": 0}")));
        startHub();

        ChannelStatus status = status();
        assertEquals(ChannelStatus.State.FAILED, status.state());
        assertTrue(status.lastError().contains("channels.discord.token"), status.lastError());
        assertTrue(!status.lastError().contains("fake-bot-token"), "the token itself is never shown");
        assertEquals(List.of(), gateway.opsReceived());
    }

    private ChannelStatus status() {
        return hub.runtime().channels().statuses().stream()
                .filter(s -> s.name().equals("discord"))
                .findFirst()
                .orElseThrow();
    }
}
