package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub doctor} against WireMock fakes of Telegram, Discord, Feishu and an OpenAI-compatible API. */
class DoctorTest {
    private static final String TELEGRAM_TOKEN = "123456:AAsecret-telegram-token-0123456789";
    private static final String DISCORD_TOKEN = "secret-discord-token-0123456789";
    private static final String FEISHU_SECRET = "secret-feishu-app-secret-0123";
    private static final String API_KEY = "sk-secret-api-key-0123456789";
    private static final List<String> SECRETS = List.of(TELEGRAM_TOKEN, DISCORD_TOKEN, FEISHU_SECRET, API_KEY);

    @TempDir
    Path dir;

    private WireMockServer apis;
    private WireMockServer receivers;

    @BeforeEach
    void start() {
        apis = new WireMockServer(wireMockConfig().dynamicPort());
        apis.start();
        receivers = new WireMockServer(wireMockConfig().dynamicPort());
        receivers.start();
        apis.stubFor(get("/bot" + TELEGRAM_TOKEN + "/getMe")
                .willReturn(
                        okJson("{\"ok\":true,\"result\":{\"id\":123456,\"is_bot\":true,\"username\":\"hub_bot\"}}")));
        apis.stubFor(get("/api/v10/users/@me")
                .withHeader("Authorization", equalTo("Bot " + DISCORD_TOKEN))
                .willReturn(okJson("{\"id\":\"42\",\"username\":\"hubbot\"}")));
        apis.stubFor(post("/open-apis/auth/v3/tenant_access_token/internal")
                .withRequestBody(equalToJson("{\"app_id\":\"cli_test\",\"app_secret\":\"" + FEISHU_SECRET + "\"}"))
                .willReturn(
                        okJson("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-secret\",\"expire\":7200}")));
        apis.stubFor(get("/v1/models")
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\"}]}")));
    }

    @AfterEach
    void stop() {
        apis.stop();
        receivers.stop();
    }

    /** A configuration with every platform enabled against the fakes, sharing the data directory of the test hub. */
    private Path config(boolean allowPrivateTargets) throws Exception {
        Path file = dir.resolve("doctor.yaml");
        Files.writeString(file, """
                store:
                  dataDir: %1$s
                webhooks:
                  allowPrivateTargets: %2$s
                gateways:
                  allowPrivateTargets: %2$s
                channels:
                  telegram:
                    enabled: true
                    token: "%3$s"
                    allowFrom: ["*"]
                    apiUrl: %4$s
                  discord:
                    enabled: true
                    token: %5$s
                    allowFrom: ["*"]
                    apiUrl: %4$s/api/v10/
                  feishu:
                    enabled: true
                    appId: cli_test
                    appSecret: %6$s
                    verificationToken: verification-token
                    baseUrl: %4$s
                    allowFrom: ["*"]
                agents:
                  gpt:
                    type: openai
                    baseUrl: %4$s/v1
                    apiKey: %7$s
                    model: gpt-test
                """.formatted(
                        dir.resolve("data"),
                        allowPrivateTargets,
                        TELEGRAM_TOKEN,
                        apis.baseUrl(),
                        DISCORD_TOKEN,
                        FEISHU_SECRET,
                        API_KEY));
        return file;
    }

    private CliRun doctor(Path config, String... more) {
        String[] args = new String[more.length + 3];
        args[0] = "doctor";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        CliRun r = CliRun.of(Map.of(), dir, args);
        for (String secret : SECRETS) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "a secret was shown:\n" + r);
        }
        return r;
    }

    /** A running hub with one agent gateway and one webhook receiver, both at {@link #receivers}. */
    private AdminHarness hubWithTargets() throws Exception {
        AdminHarness hub = AdminHarness.start(
                dir,
                "webhooks:\n  allowPrivateTargets: true\ngateways:\n  allowPrivateTargets: true\n",
                Clock.systemUTC());
        hub.ok(
                "POST",
                "/api/v1/gateways",
                Map.of(
                        "name",
                        "gpu-box",
                        "url",
                        receivers.baseUrl() + "/gateway",
                        "token",
                        "gateway-token-0123456789"));
        hub.ok("POST", "/api/v1/webhooks", Map.of("url", receivers.baseUrl() + "/events", "events", List.of("*")));
        return hub;
    }

    @Test
    void passesWhenEveryCredentialAndTargetWorksWithoutDisturbingARunningHub() throws Exception {
        try (AdminHarness hub = hubWithTargets()) {
            CliRun r = doctor(config(true));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith(dir.resolve("doctor.yaml") + ": OK\n"), r.out());
            for (String line : List.of(
                    "ok   telegram: getMe at " + apis.baseUrl()
                            + " accepted channels.telegram.token: the bot is @hub_bot",
                    "ok   discord: ",
                    "ok   feishu: ",
                    "ok   agent gpt: GET " + apis.baseUrl() + "/v1/models accepted agents.gpt.apiKey; model gpt-test is"
                            + " offered",
                    "ok   store: read 1 agent gateways and 1 webhooks",
                    "ok   gateway gpu-box: " + receivers.baseUrl() + "/gateway answers (HTTP 404)",
                    "ok   webhook wh_")) assertTrue(r.out().contains("\n" + line), line + " missing from\n" + r.out());
            assertTrue(r.out().endsWith("All 8 checks passed.\n"), r.out());
            receivers.verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl()));

            // The hub still reads and writes its store.
            hub.ok("POST", "/api/v1/webhooks", Map.of("url", receivers.baseUrl() + "/more", "events", List.of("*")));
            assertEquals(
                    2, hub.ok("GET", "/api/v1/webhooks", null).get("webhooks").size());
        }
    }

    @Test
    void readsTheStoreOfAStoppedHubAndLeavesItsDirectoryAsItWas() throws Exception {
        hubWithTargets().close();
        Path data = dir.resolve("data");
        assertFalse(Files.exists(data.resolve("hub.db-wal")), "a stopped hub leaves no WAL");
        try (var files = Files.list(data)) {
            List<Path> before = files.sorted().toList();
            CliRun r = doctor(config(true));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("ok   store: read 1 agent gateways and 1 webhooks"), r.out());
            try (var after = Files.list(data)) {
                assertEquals(before, after.sorted().toList());
            }
        }
    }

    @Test
    void aRefusedTokenFailsWithTheFixAndShowsNoSecret() throws Exception {
        apis.stubFor(get("/bot" + TELEGRAM_TOKEN + "/getMe")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}")));
        apis.stubFor(get("/api/v10/users/@me")
                .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"401: Unauthorized\", \"code\": 0}")));
        apis.stubFor(post("/open-apis/auth/v3/tenant_access_token/internal")
                .willReturn(okJson("{\"code\":10014,\"msg\":\"app secret invalid\"}")));
        apis.stubFor(get("/v1/models")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY + "\"}}")));

        CliRun r = doctor(config(true));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.out()
                        .contains(
                                "\nFAIL telegram: Telegram refused channels.telegram.token (401 Unauthorized): copy the"
                                        + " current token from @BotFather into TELEGRAM_BOT_TOKEN\n"),
                r.out());
        assertTrue(
                r.out().contains("\nFAIL discord: Discord refused channels.discord.token (401 401: Unauthorized)"),
                r.out());
        assertTrue(
                r.out()
                        .contains(
                                "\nFAIL feishu: Feishu refused channels.feishu.appId/appSecret (code 10014: app secret"
                                        + " invalid)"),
                r.out());
        assertTrue(r.out().contains("\nFAIL agent gpt: " + apis.baseUrl() + "/v1 refused agents.gpt.apiKey"), r.out());
        assertTrue(r.out().contains("Incorrect API key provided: ***"), r.out());
        assertTrue(r.out().endsWith("4 of 6 checks failed.\n"), r.out());
    }

    @Test
    void printsEveryCheckAsJson() throws Exception {
        apis.stubFor(get("/v1/models").willReturn(okJson("{\"data\":[{\"id\":\"other-model\"}]}")));
        CliRun r = doctor(config(true), "--json");
        assertEquals(1, r.exit(), r.toString());
        JsonNode json = AdminHarness.JSON.readTree(r.out());
        assertFalse(json.get("ok").asBoolean());
        JsonNode checks = json.get("checks");
        assertEquals("config", checks.get(0).get("name").asText());
        assertTrue(checks.get(0).get("ok").asBoolean());
        JsonNode agent = checks.get(4);
        assertEquals("agent gpt", agent.get("name").asText());
        assertFalse(agent.get("ok").asBoolean());
        assertTrue(agent.get("detail").asText().contains("does not offer model gpt-test"), agent.toString());
        assertEquals(
                "set agents.gpt.model to one of the models it lists",
                agent.get("fix").asText());
        assertTrue(checks.get(1).get("fix").isNull());
    }

    @Test
    void keepsAwayFromGatewaysAndWebhookReceiversOnPrivateAddressesUnlessAllowed() throws Exception {
        try (AdminHarness hub = hubWithTargets()) {
            CliRun r = doctor(config(false));
            assertEquals(1, r.exit(), r.toString());
            assertTrue(
                    r.out()
                            .contains(
                                    "resolves to the internal address 127.0.0.1; set webhooks.allowPrivateTargets: true"),
                    r.out());
            assertTrue(
                    r.out()
                            .contains(": set webhooks.allowPrivateTargets: true if the receiver is meant to be on your"
                                    + " network\n"),
                    r.out());
            assertTrue(
                    r.out()
                            .contains(": set gateways.allowPrivateTargets: true if the gateway is meant to be on your"
                                    + " network\n"),
                    r.out());
            receivers.verify(0, anyRequestedFor(urlPathEqualTo("/events")));
            receivers.verify(0, anyRequestedFor(urlPathEqualTo("/gateway")));
        }
    }

    @Test
    void anInvalidConfigurationIsReportedAsConfigCheckDoesAndNothingIsContacted() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "channels:\n  telegram:\n    enabled: true\n");
        CliRun check = CliRun.of(Map.of(), dir, "config", "check", file.toString());
        CliRun r = doctor(file);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().startsWith(check.out()), r.out());
        assertTrue(r.out().contains("channels.telegram.token: is missing"), r.out());
        assertTrue(r.out().endsWith("Fix the configuration first: the live checks need it.\n"), r.out());
        apis.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", absent()));
        assertEquals(0, apis.getAllServeEvents().size());
    }
}
