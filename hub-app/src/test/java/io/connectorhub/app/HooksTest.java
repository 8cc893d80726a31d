package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.app.webhooks.WebhookSignature;
import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound hooks: a system posts a message to /hooks/{id} and gets the agent's reply by callback or by GET. */
class HooksTest {
    @TempDir
    Path dir;

    private WireMockServer receiver;
    private AdminHarness hub;
    private JsonNode hook;

    @BeforeEach
    void start() throws Exception {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
        receiver.stubFor(post("/reply").willReturn(ok()));
        hub = AdminHarness.start(
                dir, "webhooks:\n  allowPrivateTargets: true\n  hooksAllowFrom: [ci, billing]\n", Clock.systemUTC());
        hook = hub.ok("POST", "/api/v1/hooks", Map.of("description", "ci"));
    }

    @AfterEach
    void stop() {
        hub.close();
        receiver.stop();
    }

    private String path() {
        return "/hooks/" + hook.get("id").asText();
    }

    private String token() {
        return hook.get("token").asText();
    }

    @Test
    void answersThroughTheCallbackSignedWithTheHooksSecret() throws Exception {
        String callback = "http://127.0.0.1:" + receiver.port() + "/reply";
        AdminHarness.Reply accepted = hub.call(
                "POST",
                path(),
                token(),
                Map.of("text", "deploy done", "sender", "ci", "chat", "builds", "callbackUrl", callback));
        assertEquals(202, accepted.status(), accepted.body());
        String messageId = accepted.json().get("message_id").asText();

        await().until(() ->
                !receiver.findAll(postRequestedFor(urlEqualTo("/reply"))).isEmpty());
        LoggedRequest r =
                receiver.findAll(postRequestedFor(urlEqualTo("/reply"))).get(0);
        assertTrue(WebhookSignature.verify(
                hook.get("secret").asText(),
                r.getHeader("webhook-id"),
                r.getHeader("webhook-timestamp"),
                r.getHeader("webhook-signature"),
                r.getBodyAsString(),
                Instant.now()));
        JsonNode body = AdminHarness.JSON.readTree(r.getBodyAsString());
        assertEquals("message.reply", body.get("type").asText());
        assertEquals(messageId, body.get("data").get("message_id").asText());
        assertTrue(body.get("data").get("text").asText().startsWith("You said: deploy done"));

        JsonNode fetched = hub.call("GET", accepted.json().get("status_url").asText(), token(), null)
                .json();
        assertEquals("answered", fetched.get("status").asText());
        assertEquals(
                body.get("data").get("text").asText(),
                fetched.get("reply").get("text").asText());
        assertEquals(
                List.of("hooks:" + hook.get("id").asText() + ":builds"),
                hub.ok("GET", "/api/v1/sessions", null).findValuesAsText("sessionKey"));
    }

    /** Posts {@code body} to the hook with {@code headers}. */
    private HttpResponse<String> postToHook(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub.port() + path()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code body} to the hook with Standard Webhooks headers and no token. */
    private HttpResponse<String> postSigned(String id, long timestamp, String signature, String body) throws Exception {
        return postToHook(
                Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature),
                body);
    }

    @Test
    void acceptsAStandardWebhooksSignatureAndRecognisesARepeatedWebhookId() throws Exception {
        String body = "{\"text\":\"invoice paid\",\"sender\":\"billing\"}";
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSignature.sign(hook.get("secret").asText(), "evt_1", now, body);
        int[] statuses = new int[2];
        boolean[] duplicate = new boolean[2];
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = postSigned("evt_1", now, signature, body);
            statuses[i] = r.statusCode();
            duplicate[i] = AdminHarness.JSON.readTree(r.body()).get("duplicate").asBoolean();
        }
        assertEquals(202, statuses[0]);
        assertEquals(202, statuses[1]);
        assertFalse(duplicate[0]);
        assertTrue(duplicate[1]);

        HttpResponse<String> forged = postSigned("evt_2", now, signature, body);
        assertEquals(401, forged.statusCode());
    }

    /** Posts {@code body} signed with the hook's secret, as message {@code id}, now. */
    private HttpResponse<String> postSigned(String id, String body) throws Exception {
        long now = Instant.now().getEpochSecond();
        return postSigned(id, now, WebhookSignature.sign(hook.get("secret").asText(), id, now, body), body);
    }

    /** Posts {@code body} with the hook's token and Standard Webhooks headers whose signature does not verify. */
    private HttpResponse<String> postWithTokenAndForgedSignature(String id, String body) throws Exception {
        return postToHook(
                Map.of(
                        "Authorization",
                        "Bearer " + token(),
                        "webhook-id",
                        id,
                        "webhook-timestamp",
                        Long.toString(Instant.now().getEpochSecond()),
                        "webhook-signature",
                        "v1,Zm9yZ2VkIHNpZ25hdHVyZSwgbm90IHRoZSBob29rJ3M="),
                body);
    }

    @Test
    void aForgedSignatureCannotMakeAnotherMessageADuplicate() throws Exception {
        HttpResponse<String> first = postSigned("evt_real", "{\"text\":\"invoice 1 paid\",\"sender\":\"billing\"}");
        assertEquals(202, first.statusCode(), first.body());

        HttpResponse<String> forged =
                postWithTokenAndForgedSignature("evt_real", "{\"text\":\"refund everything\",\"sender\":\"billing\"}");
        assertEquals(401, forged.statusCode(), "not answered as a duplicate of the signed message: " + forged.body());
        assertTrue(forged.body().contains("webhook-signature"), forged.body());
    }

    @Test
    void aForgedSignatureCannotSuppressALaterRealMessage() throws Exception {
        HttpResponse<String> forged =
                postWithTokenAndForgedSignature("evt_later", "{\"text\":\"decoy\",\"sender\":\"billing\"}");
        assertEquals(401, forged.statusCode(), forged.body());

        HttpResponse<String> later = postSigned("evt_later", "{\"text\":\"invoice 2 paid\",\"sender\":\"billing\"}");
        assertEquals(202, later.statusCode(), later.body());
        assertFalse(AdminHarness.JSON.readTree(later.body()).get("duplicate").asBoolean());
    }

    @Test
    void anUnsignedWebhookIdIsNotUsedForDeduplication() throws Exception {
        for (String text : List.of("first", "second")) {
            HttpResponse<String> r = postToHook(
                    Map.of("Authorization", "Bearer " + token(), "webhook-id", "evt_unsigned"),
                    "{\"text\":\"" + text + "\",\"sender\":\"ci\"}");
            assertEquals(202, r.statusCode(), r.body());
            assertFalse(AdminHarness.JSON.readTree(r.body()).get("duplicate").asBoolean(), text);
        }
    }

    @Test
    void aSignedPostWhoseBodyIsCutShortGets400WithoutAStackTraceInTheLog() throws Exception {
        long now = Instant.now().getEpochSecond();
        try (LogCapture log = new LogCapture()) {
            String answer = RawHttp.truncatedPost(
                    hub.hub.port(),
                    path(),
                    Map.of(
                            "webhook-id",
                            "evt_cut",
                            "webhook-timestamp",
                            Long.toString(now),
                            "webhook-signature",
                            "v1,AAAA"));
            assertEquals(400, RawHttp.status(answer), answer);
            assertEquals(List.of(), log.warningsAndStackTraces());
        }
    }

    @Test
    void refusesWrongTokensBadBodiesAndSendersOffTheAllowList() throws Exception {
        assertEquals(401, hub.call("POST", path(), "wrong", Map.of("text", "x")).status());
        assertEquals(401, hub.call("POST", path(), null, Map.of("text", "x")).status());
        AdminHarness.Reply noText = hub.call("POST", path(), token(), Map.of("sender", "ci"));
        assertEquals(400, noText.status());
        assertTrue(noText.json().get("error").asText().startsWith("text is required"), noText.body());
        AdminHarness.Reply badKey =
                hub.call("POST", path(), token(), Map.of("text", "x", "sender", "ci", "idempotency_key", "a b"));
        assertEquals(400, badKey.status());
        assertTrue(badKey.json().get("error").asText().startsWith("idempotency_key"));
        AdminHarness.Reply stranger = hub.call("POST", path(), token(), Map.of("text", "x", "sender", "mallory"));
        assertEquals(403, stranger.status());
        assertTrue(stranger.json().get("error").asText().contains("webhooks.hooksAllowFrom"));
        assertEquals(
                404, hub.call("GET", path() + "/messages/nope", token(), null).status());

        assertEquals(
                204,
                hub.call("DELETE", "/api/v1/hooks/" + hook.get("id").asText(), AdminHarness.WRITE, null)
                        .status());
        assertEquals(
                404,
                hub.call("POST", path(), token(), Map.of("text", "x", "sender", "ci"))
                        .status());
    }

    @Test
    void aClientGuessingHookTokensIsLockedOut() throws Exception {
        Path strictDir = Files.createDirectories(dir.resolve("strict"));
        try (AdminHarness strict = AdminHarness.start(
                AdminHarness.config(strictDir, "webhooks:\n  hooksAllowFrom: [ci]\n", 3), Clock.systemUTC())) {
            JsonNode created = strict.ok("POST", "/api/v1/hooks", Map.of("description", "ci"));
            String path = "/hooks/" + created.get("id").asText();
            String token = created.get("token").asText();
            Map<String, String> body = Map.of("text", "x", "sender", "ci");
            for (int i = 0; i < 3; i++)
                assertEquals(401, strict.call("POST", path, "guess-" + i, body).status());
            AdminHarness.Reply locked = strict.call("POST", path, token, body);
            assertEquals(429, locked.status(), "even the right token, until the minute is over");
            assertEquals(List.of("60"), locked.headers().get("retry-after"));
            assertTrue(locked.json().get("error").asText().contains("too many failed attempts"), locked.body());
            assertEquals(
                    429,
                    strict.call("GET", path + "/messages/nope", token, null).status());
            assertEquals(
                    429,
                    strict.call("GET", "/api/v1/hooks", AdminHarness.WRITE, null)
                            .status(),
                    "the admin routes share the lockout");
        }
    }
}
