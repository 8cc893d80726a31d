package io.connectorhub.channel.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.connectorhub.channel.discord.DiscordPayloads.DM_CHANNEL;
import static io.connectorhub.channel.discord.DiscordPayloads.USER_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.internal.ChannelStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway connection: resume, gap recovery, and the failures that end the channel. */
class DiscordConnectionTest extends DiscordHubTest {
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

    /** The REST API answers the DM's history after {@code before} with {@code missed}, and opens the DM again. */
    private void historyAfter(Map<String, Object> before, Map<String, Object> missed) {
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
    }

    @Test
    void fetchesTheMessagesOfTheGapWhenDiscordRefusesToResume() throws Exception {
        startHub();
        Map<String, Object> before = DiscordPayloads.fromUser(DM_CHANNEL, false, "before");
        gateway.dispatch("MESSAGE_CREATE", before);
        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: before"));

        Map<String, Object> missed = DiscordPayloads.fromUser(DM_CHANNEL, false, "lost with the session");
        historyAfter(before, missed);
        gateway.refuseResumes();
        gateway.dropAndDispatch("MESSAGE_CREATE", missed);

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: lost with the session"));
        assertEquals(List.of(2, 6, 2), gateway.opsReceived(), "IDENTIFY, refused RESUME, new IDENTIFY");
        assertEquals(List.of(), gateway.replayed());
        assertEquals(List.of("You said: before", "You said: lost with the session"), contentsSentTo(DM_CHANNEL));
    }

    @Test
    void theNextGatewaySessionFetchesWhatWasWrittenWhileNoInstanceHeldTheGateway() throws Exception {
        startHub();
        Map<String, Object> before = DiscordPayloads.fromUser(DM_CHANNEL, false, "before");
        gateway.dispatch("MESSAGE_CREATE", before);
        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: before"));
        hub.close(); // the holder stops: its mark (the newest message seen) stays in the database

        Map<String, Object> missed = DiscordPayloads.fromUser(DM_CHANNEL, false, "written while away");
        historyAfter(before, missed);
        startHub(); // the next holder: the same database, a new gateway session

        await().atMost(WAIT).until(() -> contentsSentTo(DM_CHANNEL).contains("You said: written while away"));
        assertEquals(List.of("You said: before", "You said: written while away"), contentsSentTo(DM_CHANNEL));
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
}
