package io.connectorhub.channel.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.core.Admission;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import io.connectorhub.core.MediaRef;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Conversations: replies, gating, splitting, streaming, typing, rate limits, intake failures. */
class DiscordChannelTest extends DiscordHubTest {
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

        // two sessions, answered concurrently: either reply may come first
        await().atMost(WAIT)
                .until(() -> contentsSentTo(THREAD).size() == 1
                        && contentsSentTo(TEXT_CHANNEL).size() == 1);
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
                    public void release(InboundMessage message) {
                        real.release(message);
                    }

                    @Override
                    public Optional<InboundMessage> nextPending(String sessionKey) {
                        return real.nextPending(sessionKey);
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
}
