package io.connectorhub.channel.feishu;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.connectorhub.channel.feishu.FeishuHarness.BOT;
import static io.connectorhub.channel.feishu.FeishuHarness.GROUP;
import static io.connectorhub.channel.feishu.FeishuHarness.KEY;
import static io.connectorhub.channel.feishu.FeishuHarness.TENANT_TOKEN;
import static io.connectorhub.channel.feishu.FeishuHarness.TOKEN;
import static io.connectorhub.channel.feishu.FeishuHarness.USER;
import static io.connectorhub.channel.feishu.FeishuHarness.body;
import static io.connectorhub.channel.feishu.FeishuHarness.challenge;
import static io.connectorhub.channel.feishu.FeishuHarness.content;
import static io.connectorhub.channel.feishu.FeishuHarness.mention;
import static io.connectorhub.channel.feishu.FeishuHarness.messageEvent;
import static io.connectorhub.channel.feishu.FeishuHarness.sign;
import static io.connectorhub.channel.feishu.FeishuHarness.status;
import static io.connectorhub.channel.feishu.FeishuHarness.textContent;
import static io.connectorhub.channel.feishu.FeishuHarness.textEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.MediaRef;
import io.connectorhub.core.PlatformWebhook;
import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeishuChannelTest {
    @TempDir
    Path dir;

    private FeishuHarness feishu;

    @AfterEach
    void stop() {
        if (feishu != null) feishu.close();
    }

    private FeishuHarness start(FeishuHarness.Agent agent) throws Exception {
        feishu = FeishuHarness.start(dir, agent);
        return feishu;
    }

    private static FeishuHarness.Agent echo() {
        return request -> "You said: " + request.text();
    }

    /** The texts the agent was asked, in order. */
    private List<String> askedTexts() {
        List<String> texts = new ArrayList<>();
        for (AgentRequest r : feishu.asked) texts.add(r.text());
        return texts;
    }

    @Test
    void answersAnEncryptedUrlVerificationWithTheChallenge() throws Exception {
        start(echo());
        assertFalse(feishu.channel().webhookStatus().verified());
        HttpResponse<String> response = feishu.postEvent(feishu.encrypted(challenge("ch-123", TOKEN)), Map.of());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "ch-123",
                FeishuHarness.JSON.readTree(response.body()).path("challenge").asText());
        PlatformWebhook.Status status = feishu.channel().webhookStatus();
        assertEquals("webhook", status.mode());
        assertEquals("/feishu/events", status.url());
        assertTrue(status.verified());
    }

    @Test
    void answersAPlainUrlVerificationWhenNoEncryptKeyIsSetAndChecksItsToken() throws Exception {
        feishu = FeishuHarness.start(dir, "", "", echo());
        HttpResponse<String> ok = feishu.postEvent(challenge("plain-1", TOKEN), Map.of());
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(
                "plain-1",
                FeishuHarness.JSON.readTree(ok.body()).path("challenge").asText());

        HttpResponse<String> wrong = feishu.postEvent(challenge("plain-2", "not-the-token"), Map.of());
        assertEquals(401, wrong.statusCode());
        assertFalse(wrong.body().contains("plain-2"));
    }

    @Test
    void refusesAnEncryptedChallengeWithTheWrongToken() throws Exception {
        start(echo());
        HttpResponse<String> response = feishu.postEvent(feishu.encrypted(challenge("ch-x", "wrong")), Map.of());
        assertEquals(401, response.statusCode());
        assertFalse(feishu.channel().webhookStatus().verified());
    }

    @Test
    void storesAPrivateMessageAndSendsTheReplyToTheSender() throws Exception {
        start(echo());
        HttpResponse<String> response =
                feishu.deliver(textEvent("ev-1", "om_1", "hello there").toString());
        assertEquals(200, response.statusCode(), response.body());

        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
        LoggedRequest send = feishu.sends().get(0);
        assertEquals("open_id", send.queryParameter("receive_id_type").firstValue());
        assertEquals("Bearer " + TENANT_TOKEN, send.getHeader("Authorization"));
        JsonNode body = body(send);
        assertEquals(USER, body.path("receive_id").asText());
        assertEquals("text", body.path("msg_type").asText());
        assertEquals("You said: hello there", content(send).path("text").asText());
        assertFalse(body.path("uuid").asText().isEmpty());
        assertTrue(body.path("uuid").asText().length() <= 50);

        AgentRequest asked = feishu.asked.poll();
        assertEquals("feishu:" + USER, asked.sessionKey());
        assertEquals("ev-1", asked.message().id());
        assertEquals("om_1", asked.message().platformMessageId());
    }

    @Test
    void refusesABadSignatureAndPublishesNothing() throws Exception {
        start(echo());
        String body = feishu.encrypted(textEvent("ev-forged", "om_f", "forged").toString());
        String ts = String.valueOf(Instant.now().getEpochSecond());
        HttpResponse<String> response = feishu.postEvent(
                body,
                Map.of(
                        "X-Lark-Request-Timestamp",
                        ts,
                        "X-Lark-Request-Nonce",
                        "n1",
                        "X-Lark-Signature",
                        sign(ts, "n1", "another-key", body)));
        assertEquals(401, response.statusCode());

        HttpResponse<String> unsigned = feishu.postEvent(body, Map.of());
        assertEquals(401, unsigned.statusCode());

        assertOnlyTheMarkerIsAnswered();
    }

    @Test
    void refusesAStaleTimestampEvenWhenSignedCorrectly() throws Exception {
        start(echo());
        String body = feishu.encrypted(textEvent("ev-stale", "om_s", "replayed").toString());
        String ts = String.valueOf(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        HttpResponse<String> response = feishu.postEvent(
                body,
                Map.of(
                        "X-Lark-Request-Timestamp",
                        ts,
                        "X-Lark-Request-Nonce",
                        "n2",
                        "X-Lark-Signature",
                        sign(ts, "n2", KEY, body)));
        assertEquals(401, response.statusCode());
        assertOnlyTheMarkerIsAnswered();
    }

    @Test
    void refusesAnEventWithTheWrongVerificationToken() throws Exception {
        start(echo());
        ObjectNode event = textEvent("ev-token", "om_t", "wrong token");
        ((ObjectNode) event.get("header")).put("token", "someone-elses-token");
        assertEquals(401, feishu.deliver(event.toString()).statusCode());
        assertOnlyTheMarkerIsAnswered();
    }

    /** Sends a valid marker message, waits for its answer, and checks that it was the only thing answered. */
    private void assertOnlyTheMarkerIsAnswered() throws Exception {
        assertEquals(
                200,
                feishu.deliver(textEvent("ev-marker", "om_m", "marker").toString())
                        .statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
        assertEquals(List.of("marker"), askedTexts());
        assertEquals(1, feishu.hub.runtime().metrics().count("feishu", HubMetrics.INBOUND));
    }

    @Test
    void answersARedeliveredEventOnce() throws Exception {
        start(echo());
        String event = textEvent("ev-dup", "om_d", "only once").toString();
        for (int i = 0; i < 4; i++) assertEquals(200, feishu.deliver(event).statusCode());
        assertEquals(
                200,
                feishu.deliver(textEvent("ev-next", "om_n", "next").toString()).statusCode());

        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 2);
        assertEquals(List.of("only once", "next"), askedTexts());
        assertEquals(3, feishu.hub.runtime().metrics().count("feishu", HubMetrics.DUPLICATE));
    }

    @Test
    void acknowledgesBeforeASlowAgentHasAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(request -> {
            release.await(60, TimeUnit.SECONDS);
            return "done";
        });
        // The client gives up after 3 s (Feishu's deadline); the agent is still blocked when the answer arrives.
        HttpResponse<String> response =
                feishu.deliver(textEvent("ev-slow", "om_slow", "think hard").toString());
        assertEquals(200, response.statusCode());
        assertEquals(1, release.getCount());
        assertTrue(feishu.sends().isEmpty());

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
        assertEquals("done", content(feishu.sends().get(0)).path("text").asText());
    }

    @Test
    void answersInGroupsOnlyWhenMentionedAndQuotesTheMessage() throws Exception {
        start(echo());
        ObjectNode plain = messageEvent("ev-g1", "om_g1", "group", GROUP, "text", textContent("chatter"));
        ObjectNode other = mention(
                messageEvent("ev-g2", "om_g2", "group", GROUP, "text", textContent("@_user_1 over to you")),
                "@_user_1",
                "ou_someone",
                "Bob");
        ObjectNode fromBot = mention(
                messageEvent("ev-g3", "om_g3", "group", GROUP, "text", textContent("@_user_1 loop")),
                "@_user_1",
                BOT,
                "Assistant");
        ((ObjectNode) fromBot.path("event").path("sender")).put("sender_type", "app");
        ObjectNode addressed = mention(
                mention(
                        messageEvent(
                                "ev-g4",
                                "om_g4",
                                "group",
                                GROUP,
                                "text",
                                textContent("@_user_1 ask @_user_2 about it")),
                        "@_user_1",
                        BOT,
                        "Assistant"),
                "@_user_2",
                "ou_someone",
                "Bob");
        for (ObjectNode e : List.of(plain, other, fromBot, addressed)) {
            assertEquals(200, feishu.deliver(e.toString()).statusCode());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.replies().size() == 1);
        assertEquals(List.of("ask @Bob about it"), askedTexts());
        assertEquals("feishu:" + GROUP, feishu.asked.peek().sessionKey());
        LoggedRequest reply = feishu.replies().get(0);
        assertEquals("/open-apis/im/v1/messages/om_g4/reply", reply.getUrl());
        assertEquals("You said: ask @Bob about it", content(reply).path("text").asText());
        assertTrue(feishu.sends().isEmpty());
    }

    @Test
    void flattensARichTextMessageAndAnswersMarkdownWithAPost() throws Exception {
        start(request -> "## Summary\n\n- **one**\n- two");
        String post = """
                {"title":"Plan","content":[
                  [{"tag":"text","text":"see "},{"tag":"a","text":"docs","href":"https://example.com/d"}],
                  [{"tag":"img","image_key":"img_v2_1"}]]}""";
        assertEquals(
                200,
                feishu.deliver(messageEvent("ev-p", "om_p", "p2p", "oc_p", "post", post)
                                .toString())
                        .statusCode());

        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
        AgentRequest asked = feishu.asked.poll();
        assertEquals("Plan\nsee docs (https://example.com/d)\n[image]", asked.text());
        assertEquals(List.of(MediaRef.of("image", "img_v2_1")), asked.message().media());
        LoggedRequest send = feishu.sends().get(0);
        assertEquals("post", body(send).path("msg_type").asText());
        JsonNode md = content(send).path("zh_cn").path("content").path(0).path(0);
        assertEquals("md", md.path("tag").asText());
        assertEquals("## Summary\n\n- **one**\n- two", md.path("text").asText());
    }

    @Test
    void backsOffWhenThrottledAndResendsWithTheSameUuid() throws Exception {
        start(echo());
        feishu.platform.stubFor(post(urlPathEqualTo("/open-apis/im/v1/messages"))
                .inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(status(429, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}"))
                .willSetStateTo("second"));
        feishu.platform.stubFor(post(urlPathEqualTo("/open-apis/im/v1/messages"))
                .inScenario("throttle")
                .whenScenarioStateIs("second")
                .willReturn(status(200, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}"))
                .willSetStateTo("open"));
        feishu.platform.stubFor(post(urlPathEqualTo("/open-apis/im/v1/messages"))
                .inScenario("throttle")
                .whenScenarioStateIs("open")
                .willReturn(okJson("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_ok\"}}")));

        assertEquals(
                200,
                feishu.deliver(textEvent("ev-429", "om_429", "busy").toString()).statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> feishu.hub.runtime().metrics().count("feishu", HubMetrics.OUTBOUND) == 1);
        List<LoggedRequest> sends = feishu.sends();
        assertEquals(3, sends.size());
        String uuid = body(sends.get(0)).path("uuid").asText();
        for (LoggedRequest s : sends) assertEquals(uuid, body(s).path("uuid").asText());
    }

    @Test
    void treatsANonZeroCodeOnHttp200AsAFailedSend() throws Exception {
        start(echo());
        feishu.platform.stubFor(post(urlPathEqualTo("/open-apis/im/v1/messages"))
                .willReturn(okJson("{\"code\":230002,\"msg\":\"Bot/User can NOT be out of the chat.\"}")));
        assertEquals(
                200,
                feishu.deliver(textEvent("ev-230002", "om_x", "hi").toString()).statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> feishu.hub.runtime().metrics().count("feishu", HubMetrics.FAILED) == 1);
        assertEquals(1, feishu.sends().size(), "a refusal is not retried");
        assertEquals(0, feishu.hub.runtime().metrics().count("feishu", HubMetrics.OUTBOUND));
    }

    @Test
    void theCallbackUrlIsSetInTheConsoleNotThroughTheApi() throws Exception {
        start(echo());
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class,
                () -> feishu.channel().registerWebhook("https://hub.example.com/"));
        assertTrue(e.getMessage().contains("https://hub.example.com/feishu/events"), e.getMessage());
        String routeGiven = assertThrows(
                        UnsupportedOperationException.class,
                        () -> feishu.channel().registerWebhook("https://hub.example.com/feishu/events"))
                .getMessage();
        assertTrue(routeGiven.contains(" https://hub.example.com/feishu/events and save"), routeGiven);
        assertThrows(UnsupportedOperationException.class, () -> feishu.channel().unregisterWebhook());
        assertNull(feishu.channel().webhookStatus().lastError());
    }

    @Test
    void aCallbackWhoseBodyIsCutShortGets400WithoutAStackTraceInTheLog() throws Exception {
        start(echo());
        try (LogCapture log = new LogCapture()) {
            String answer = RawHttp.truncatedPost(feishu.hub.port(), "/feishu/events", Map.of());
            assertEquals(400, RawHttp.status(answer), answer);
            assertEquals(List.of(), log.warningsAndStackTraces());
        }
    }

    @Test
    void neverLogsTheAppSecretOrTheTenantTokenEvenAtDebug() throws Exception {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level level = root.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            start(echo());
            String event = textEvent("ev-log", "om_log", "hi").toString();
            assertEquals(200, feishu.deliver(event).statusCode());
            assertEquals(200, feishu.deliver(event).statusCode());
            String ignored = messageEvent("ev-log-2", "om_log_2", "group", GROUP, "text", textContent("x"))
                    .toString();
            assertEquals(200, feishu.deliver(ignored).statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
            assertEquals(
                    401,
                    feishu.postEvent(feishu.encrypted(challenge("c", "wrong")), Map.of())
                            .statusCode());
        } finally {
            root.setLevel(level);
            root.detachAppender(captured);
        }
        List<String> lines = new ArrayList<>();
        for (ch.qos.logback.classic.spi.ILoggingEvent e : List.copyOf(captured.list)) {
            lines.add(e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage()));
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("left alone")), "debug lines missing: " + lines);
        for (String secret : List.of(TENANT_TOKEN, FeishuHarness.APP_SECRET, TOKEN, KEY)) {
            for (String line : lines) assertFalse(line.contains(secret), "logged a secret: " + line);
        }
    }
}
