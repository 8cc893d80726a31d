package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.connectorhub.channel.discord.DiscordPayloads.BOT_ID;
import static io.connectorhub.channel.discord.DiscordPayloads.DM_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.TEXT_CHANNEL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.discord.DiscordPayloads;
import io.connectorhub.channel.discord.FakeGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linked Discord account through the fake Discord gateway and REST API: its DM conversation, whose key is the DM
 * channel's and not the sender's, is among the user's sessions; its server conversations are not.
 */
class LinkedDiscordTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String SENT_ID = "8000000000000000008";
    private static final String DM = "discord:" + DM_CHANNEL;

    @TempDir
    Path dir;

    private FakeGateway gateway;
    private WireMockServer rest;
    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        rest = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        rest.start();
        gateway.stubRestApi(rest, SENT_ID);
        // Nobody is on allowFrom: the sender gets in by being linked.
        hub = AdminHarness.start(AdminHarness.config(dir, """
                        channels:
                          discord:
                            enabled: true
                            token: fake-bot-token
                            allowFrom: ["1"]
                            apiUrl: http://127.0.0.1:%d/api/v10/
                        """.formatted(rest.port())), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(15)).until(gateway::connected);
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        rest.stop();
        gateway.close();
    }

    /** Sends {@code text} from the fake user to channel {@code channelId} and waits for the bot's answer there. */
    private void sendAndAwaitAnswer(String channelId, boolean guild, String text) {
        int before = sentTo(channelId);
        gateway.dispatch("MESSAGE_CREATE", DiscordPayloads.fromUser(channelId, guild, text));
        await().atMost(Duration.ofSeconds(15)).until(() -> sentTo(channelId) > before);
    }

    private int sentTo(String channelId) {
        return rest.findAll(postRequestedFor(urlPathEqualTo("/api/v10/channels/" + channelId + "/messages")))
                .size();
    }

    private List<String> sessionKeys(String access) throws Exception {
        AdminHarness.Reply r = hub.call("GET", "/api/v1/me/sessions", access, null);
        assertEquals(200, r.status(), r.body());
        return r.json().get("sessions").findValuesAsText("session_key");
    }

    @Test
    void listsTheLinkedUsersDiscordDirectConversationButNotTheirServerChannel() throws Exception {
        String ann = hub.newUserToken("ann", PASSWORD);
        String code = hub.call("POST", "/api/v1/me/links", ann, null)
                .json()
                .get("code")
                .asText();
        sendAndAwaitAnswer(DM_CHANNEL, false, "/link " + code);
        sendAndAwaitAnswer(DM_CHANNEL, false, "hello in private");
        sendAndAwaitAnswer(TEXT_CHANNEL, true, "<@" + BOT_ID + "> hello in public");

        assertEquals(List.of(DM), sessionKeys(ann));
        JsonNode session =
                hub.call("GET", "/api/v1/me/sessions/" + DM, ann, null).json();
        assertEquals("discord", session.get("channel").asText(), session.toString());
        JsonNode messages = hub.call("GET", "/api/v1/me/sessions/" + DM + "/messages", ann, null)
                .json()
                .get("messages");
        assertEquals("hello in private", messages.get(0).get("text").asText(), messages.toString());
        assertEquals(2, messages.size(), "the message and its answer: " + messages);
        assertEquals(
                404,
                hub.call("GET", "/api/v1/me/sessions/discord:" + TEXT_CHANNEL + "/messages", ann, null)
                        .status(),
                "a server channel is not the user's");

        String bob = hub.newUserToken("bob", PASSWORD);
        assertEquals(List.of(), sessionKeys(bob));
        assertEquals(
                404,
                hub.call("GET", "/api/v1/me/sessions/" + DM + "/messages", bob, null)
                        .status());
        assertEquals(
                404, hub.call("GET", "/api/v1/me/sessions/" + DM, bob, null).status());
    }
}
