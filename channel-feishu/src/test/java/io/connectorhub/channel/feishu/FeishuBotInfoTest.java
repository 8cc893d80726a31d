package io.connectorhub.channel.feishu;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.connectorhub.channel.feishu.FeishuHarness.BOT;
import static io.connectorhub.channel.feishu.FeishuHarness.GROUP;
import static io.connectorhub.channel.feishu.FeishuHarness.content;
import static io.connectorhub.channel.feishu.FeishuHarness.mention;
import static io.connectorhub.channel.feishu.FeishuHarness.messageEvent;
import static io.connectorhub.channel.feishu.FeishuHarness.status;
import static io.connectorhub.channel.feishu.FeishuHarness.textContent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.core.HubMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot's open_id could not be read at start: group mentions wait for it instead of answering everyone. */
class FeishuBotInfoTest {
    private static final UUID FAILING = UUID.randomUUID();

    @TempDir
    Path dir;

    private FeishuHarness feishu;

    @AfterEach
    void stop() {
        if (feishu != null) feishu.close();
    }

    /**
     * Starts a hub whose bot/v3/info call fails (as for an app without the Bot feature) until it is fixed.
     *
     * @param botInfoRetry {@code channels.feishu.botInfoRetry}
     */
    private void startWithBotInfoFailing(String botInfoRetry) throws Exception {
        feishu = FeishuHarness.start(
                dir,
                "    botInfoRetry: " + botInfoRetry + "\n",
                request -> "You said: " + request.text(),
                platform -> platform.stubFor(get(urlPathEqualTo("/open-apis/bot/v3/info"))
                        .withId(FAILING)
                        .atPriority(1)
                        .willReturn(status(400, "{\"code\":10003,\"msg\":\"bot ability is not activated\"}"))));
    }

    private void fixBotInfo() {
        StubMapping failing = feishu.platform.getSingleStubMapping(FAILING);
        feishu.platform.removeStub(failing);
    }

    private static ObjectNode groupMention(String eventId, String openId, String name, String text) {
        return mention(
                messageEvent(eventId, "om_" + eventId, "group", GROUP, "text", textContent("@_user_1 " + text)),
                "@_user_1",
                openId,
                name);
    }

    /** A person mentioned by an app without the user-id scope: no user_id, like the bot. */
    private static ObjectNode personWithoutUserId(String eventId, String text) {
        ObjectNode event = groupMention(eventId, "ou_person", "Dana", text);
        ((ObjectNode) event.path("event")
                        .path("message")
                        .path("mentions")
                        .path(0)
                        .path("id"))
                .remove("user_id");
        return event;
    }

    private long stored() {
        return feishu.hub.runtime().metrics().count("feishu", HubMetrics.INBOUND);
    }

    private int botInfoReads() {
        return feishu.platform
                .findAll(getRequestedFor(urlPathEqualTo("/open-apis/bot/v3/info")))
                .size();
    }

    @Test
    void readsTheBotsIdAgainWhenMentionedAndAnswersOnlyTheBotsMentions() throws Exception {
        startWithBotInfoFailing("1ms");
        String problem = feishu.channel().lastError();
        assertNotNull(problem);
        assertTrue(problem.contains("/open-apis/bot/v3/info"), problem);
        assertTrue(problem.contains("Bot feature") && problem.contains("appId and appSecret"), problem);

        // Still failing: nobody's mention is taken for the bot's, so nothing is stored or answered.
        int readsBefore = botInfoReads();
        for (ObjectNode event : List.of(
                personWithoutUserId("ev-1", "lunch?"),
                groupMention("ev-2", "ou_someone", "Bob", "over to you"),
                groupMention("ev-3", BOT, "Assistant", "are you there?"))) {
            assertEquals(200, feishu.deliver(event.toString()).statusCode());
        }
        assertEquals(0, stored());
        assertTrue(botInfoReads() > readsBefore, "the open_id is read again when a group mention arrives");
        assertNotNull(feishu.channel().lastError());

        // The console is fixed: the next mention reads the open_id and only the bot's mention is answered.
        fixBotInfo();
        assertEquals(
                200,
                feishu.deliver(groupMention("ev-4", BOT, "Assistant", "now?").toString())
                        .statusCode());
        assertEquals(
                200,
                feishu.deliver(personWithoutUserId("ev-5", "lunch?").toString()).statusCode());
        assertEquals(1, stored());
        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.replies().size() == 1);
        AgentRequest asked = feishu.asked.poll();
        assertEquals("now?", asked.text());
        assertNull(feishu.asked.poll());
        assertEquals(
                "/open-apis/im/v1/messages/om_ev-4/reply",
                feishu.replies().get(0).getUrl());
        assertEquals(
                "You said: now?", content(feishu.replies().get(0)).path("text").asText());
        assertNull(feishu.channel().lastError(), "the status clears once the open_id is known");
    }

    @Test
    void readsTheBotsIdAgainAtMostOncePerBotInfoRetry() throws Exception {
        startWithBotInfoFailing("1m");
        assertEquals(1, botInfoReads());
        fixBotInfo();
        for (ObjectNode event : List.of(
                groupMention("ev-1", BOT, "Assistant", "hi"), groupMention("ev-2", BOT, "Assistant", "hello?"))) {
            assertEquals(200, feishu.deliver(event.toString()).statusCode());
        }
        assertEquals(1, botInfoReads(), "the read at start was less than botInfoRetry (1m) ago");
        assertEquals(0, stored());
    }
}
