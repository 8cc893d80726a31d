package io.connectorhub.channel.feishu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hub with the Feishu channel, WireMock playing the open platform (token, bot info, send and reply endpoints), and
 * helpers that build callbacks the way Feishu does: envelope 2.0, AES-256-CBC encrypted, signed.
 */
final class FeishuHarness implements AutoCloseable {
    static final ObjectMapper JSON = Json.newMapper();
    static final String APP_ID = "cli_test_app";
    static final String APP_SECRET = "app-secret-0123456789";
    static final String TOKEN = "verification-token-xyz";
    static final String KEY = "encrypt-key-abc";
    static final String TENANT_TOKEN = "t-tenant-token-secret";
    static final String BOT = "ou_bot";
    static final String USER = "ou_user_1";
    static final String GROUP = "oc_group_1";

    /** Builds a hub; {@code feishuYaml} holds extra keys of {@code channels.feishu}, indented by four spaces. */
    interface Agent {
        String reply(AgentRequest request) throws Exception;
    }

    final WireMockServer platform;
    final BlockingQueue<AgentRequest> asked = new LinkedBlockingQueue<>();
    final TestHub hub;
    final String encryptKey;
    private final HttpClient http = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();

    private FeishuHarness(
            Path dir, String feishuYaml, String encryptKey, Agent agent, Consumer<WireMockServer> moreStubs)
            throws Exception {
        this.encryptKey = encryptKey;
        platform = new WireMockServer(options().dynamicPort());
        platform.start();
        moreStubs.accept(platform);
        platform.stubFor(post(urlPathEqualTo("/open-apis/auth/v3/tenant_access_token/internal"))
                .willReturn(okJson("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"" + TENANT_TOKEN
                        + "\",\"expire\":7200}")));
        platform.stubFor(get(urlPathEqualTo("/open-apis/bot/v3/info"))
                .willReturn(okJson("{\"code\":0,\"msg\":\"ok\",\"bot\":{\"open_id\":\"" + BOT
                        + "\",\"app_name\":\"Assistant\"}}")));
        platform.stubFor(post(urlPathEqualTo("/open-apis/im/v1/messages"))
                .atPriority(10)
                .willReturn(okJson("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_sent\"}}")));
        platform.stubFor(post(urlPathMatching("/open-apis/im/v1/messages/[^/]+/reply"))
                .atPriority(10)
                .willReturn(okJson("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_reply\"}}")));
        String yaml = "channels:\n  feishu:\n    enabled: true\n    appId: " + APP_ID + "\n    appSecret: "
                + APP_SECRET + "\n    verificationToken: " + TOKEN + "\n    encryptKey: \"" + encryptKey
                + "\"\n    baseUrl: http://127.0.0.1:" + platform.port() + "\n    allowFrom: [\"*\"]\n"
                + "    retryBackoff: 20ms\n" + feishuYaml;
        try {
            hub = TestHub.start(dir, yaml, (request, stream) -> {
                asked.add(request);
                return agent.reply(request);
            });
        } catch (Exception e) {
            platform.stop();
            throw e;
        }
    }

    static FeishuHarness start(Path dir, Agent agent) throws Exception {
        return new FeishuHarness(dir, "", KEY, agent, p -> {});
    }

    static FeishuHarness start(Path dir, String feishuYaml, String encryptKey, Agent agent) throws Exception {
        return new FeishuHarness(dir, feishuYaml, encryptKey, agent, p -> {});
    }

    /** @param moreStubs stubs added to the fake platform before the hub starts */
    static FeishuHarness start(Path dir, String feishuYaml, Agent agent, Consumer<WireMockServer> moreStubs)
            throws Exception {
        return new FeishuHarness(dir, feishuYaml, KEY, agent, moreStubs);
    }

    FeishuChannel channel() {
        return (FeishuChannel) hub.runtime().channels().channel(FeishuChannel.NAME);
    }

    // ---- events as Feishu builds them ----

    /** An im.message.receive_v1 envelope. */
    static ObjectNode messageEvent(
            String eventId, String messageId, String chatType, String chatId, String type, String content) {
        ObjectNode root = JSON.createObjectNode().put("schema", "2.0");
        root.putObject("header")
                .put("event_id", eventId)
                .put("event_type", "im.message.receive_v1")
                .put("create_time", String.valueOf(System.currentTimeMillis()))
                .put("token", TOKEN)
                .put("app_id", APP_ID)
                .put("tenant_key", "tenant");
        ObjectNode event = root.putObject("event");
        ObjectNode sender = event.putObject("sender").put("sender_type", "user").put("tenant_key", "tenant");
        sender.putObject("sender_id")
                .put("open_id", USER)
                .put("union_id", "on_user_1")
                .put("user_id", "u1");
        event.putObject("message")
                .put("message_id", messageId)
                .put("create_time", String.valueOf(System.currentTimeMillis()))
                .put("chat_id", chatId)
                .put("chat_type", chatType)
                .put("message_type", type)
                .put("content", content)
                .putArray("mentions");
        return root;
    }

    static ObjectNode textEvent(String eventId, String messageId, String text) {
        return messageEvent(eventId, messageId, "p2p", "oc_p2p_chat", "text", textContent(text));
    }

    static String textContent(String text) {
        return JSON.createObjectNode().put("text", text).toString();
    }

    /** Adds a mention of {@code openId} under {@code key} (and a user_id unless it is the bot). */
    static ObjectNode mention(ObjectNode event, String key, String openId, String name) {
        ObjectNode m = ((com.fasterxml.jackson.databind.node.ArrayNode)
                        event.path("event").path("message").path("mentions"))
                .addObject()
                .put("key", key)
                .put("name", name)
                .put("tenant_key", "tenant");
        ObjectNode id = m.putObject("id").put("open_id", openId);
        if (!openId.equals(BOT)) id.put("user_id", "u-" + name);
        return event;
    }

    static String challenge(String challenge, String token) {
        return JSON.createObjectNode()
                .put("challenge", challenge)
                .put("token", token)
                .put("type", "url_verification")
                .toString();
    }

    /** {@code {"encrypt": base64(iv + AES-256-CBC(sha256(key), iv, plain))}}. */
    String encrypted(String plain) throws Exception {
        byte[] key = MessageDigest.getInstance("SHA-256").digest(encryptKey.getBytes(StandardCharsets.UTF_8));
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] cipher = aes.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[iv.length + cipher.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(cipher, 0, out, iv.length, cipher.length);
        return JSON.createObjectNode()
                .put("encrypt", Base64.getEncoder().encodeToString(out))
                .toString();
    }

    static String sign(String timestamp, String nonce, String key, String body) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((timestamp + nonce + key + body).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /** Encrypts and signs {@code plain} now, and posts it. */
    HttpResponse<String> deliver(String plain) throws Exception {
        String body = encrypted(plain);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return postEvent(
                body,
                Map.of(
                        "X-Lark-Request-Timestamp",
                        ts,
                        "X-Lark-Request-Nonce",
                        "n1",
                        "X-Lark-Signature",
                        sign(ts, "n1", encryptKey, body)));
    }

    HttpResponse<String> postEvent(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.port() + "/feishu/events"))
                .timeout(Duration.ofSeconds(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- what reached the fake platform ----

    List<LoggedRequest> sends() {
        return platform.findAll(postRequestedFor(urlPathEqualTo("/open-apis/im/v1/messages")));
    }

    List<LoggedRequest> replies() {
        return platform.findAll(postRequestedFor(urlPathMatching("/open-apis/im/v1/messages/[^/]+/reply")));
    }

    static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    /** The message content the API received (content is a JSON string inside the body). */
    static JsonNode content(LoggedRequest request) throws Exception {
        return JSON.readTree(body(request).path("content").asText());
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int status, String json) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(json);
    }

    @Override
    public void close() {
        try {
            hub.close();
        } finally {
            platform.stop();
        }
    }
}
