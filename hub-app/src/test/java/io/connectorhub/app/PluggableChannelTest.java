package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ConfigProblem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel added as a module adds it: {@code io.connectorhub.app.echotest} (test sources only) has a factory listed in
 * {@code src/test/resources/META-INF/services}, a settings record with its own checks, a defaults resource, its own
 * table (migration script under {@code db/echo_test/}) and its own HTTP route, and runs in the assembled hub with no line of {@code config}, {@code hub-core} or {@code hub-app} main
 * code written for it.
 */
class PluggableChannelTest {
    @TempDir
    Path dir;

    private Path file(String channels) throws Exception {
        return Files.writeString(
                dir.resolve("hub.yaml"),
                "server:\n  port: 0\nstore:\n  dataDir: " + dir.resolve("data") + "\nchannels:\n" + channels);
    }

    private List<String> problems(String channels) throws Exception {
        Path f = file(channels);
        try {
            new ConfigLoader(Map.of()).load(f);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void aChannelFoundOnTheClassPathRunsInTheHubWithItsOwnSectionAndAnswersOnItsOwnRoute() throws Exception {
        HubConfig config = new ConfigLoader(Map.of())
                .load(file("  echoTest: {enabled: true, allowFrom: [\"*\"], greeting: \"hi\"}\n"));
        try (Hub hub = Hub.start(config, Clock.systemUTC())) {
            URI room = URI.create("http://127.0.0.1:" + hub.port() + "/echo-test/room-1");
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(room)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"ann\",\"text\":\"ping\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode reply = AdminHarness.JSON.readTree(answer.body());
            assertTrue(reply.get("reply").asText().startsWith("hi "), answer.body());
            assertTrue(reply.get("reply").asText().contains("ping"), answer.body());
            // The reply went through the channel's own table, created by its own migration script.
            HttpResponse<String> stored = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(room).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body());
            assertEquals(
                    List.of(reply.get("reply").asText()),
                    AdminHarness.JSON.convertValue(
                            AdminHarness.JSON.readTree(stored.body()).get("replies"), List.class));
            assertEquals(
                    "echoTest (running), websocket (running), hooks (running)", StartupLog.channels(hub.runtime()));
        }
    }

    @Test
    void aSectionForAChannelThatIsNotInstalledListsTheInstalledOnes() throws Exception {
        assertEquals(
                List.of("channels.slack: unknown channel; installed channels: discord, echoTest, feishu, openaiApi,"
                        + " telegram, websocket"),
                problems("  slack: {enabled: true}\n"));
    }

    @Test
    void anUnknownKeyInTheChannelsSectionListsTheCommonAndItsOwnKeys() throws Exception {
        assertEquals(
                List.of("channels.echoTest.greting: unknown key; valid keys here: allowFrom, enabled, greeting,"
                        + " maxLength, replyTimeout"),
                problems("  echoTest: {greting: hi}\n"));
    }

    @Test
    void theChannelsOwnSettingsAreBoundAndCheckedWithTheirKeyPaths() throws Exception {
        assertEquals(
                List.of(
                        "channels.echoTest.replyTimeout: expected a duration such as 500ms, 30s, 5m, 2h or 7d",
                        "channels.echoTest.greeting: is empty: set the words put before each reply",
                        "channels.echoTest.maxLength: must be between 1 and 10000, is 0",
                        "channels.echoTest.allowFrom: is empty, so nobody could chat: list the senders, or use [\"*\"]"),
                problems("  echoTest: {enabled: true, greeting: \" \", maxLength: 0, replyTimeout: soon}\n"));
        assertEquals(
                List.of("channels.echoTest.enabled: expected true or false"),
                problems("  echoTest: {enabled: sometimes}\n"));
    }

    @Test
    void configDefaultsPrintsTheChannelsSectionWithItsComments() {
        CliRun r = CliRun.of(Map.of(), dir, "config", "defaults");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.out()
                        .contains("  echoTest:\n"
                                + "    # a channel of hub-app's tests: POST /echo-test/{chat} answers with the agent's"
                                + " reply\n"
                                + "    enabled: false\n"),
                r.out());
        assertTrue(r.out().contains("\n    greeting: hello                  # put before every reply\n"), r.out());
        assertTrue(
                r.out().indexOf("\n  discord:\n") < r.out().indexOf("\n  echoTest:\n")
                        && r.out().indexOf("\n  echoTest:\n") < r.out().indexOf("\n  websocket:\n"),
                "channels by name:\n" + r.out());
    }
}
