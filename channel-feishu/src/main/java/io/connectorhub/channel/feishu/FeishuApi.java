package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lark.oapi.Client;
import com.lark.oapi.core.exception.ClientTimeoutException;
import com.lark.oapi.core.exception.ObtainAccessTokenException;
import com.lark.oapi.core.exception.ServerTimeoutException;
import com.lark.oapi.core.response.BaseResponse;
import com.lark.oapi.core.response.RawResponse;
import com.lark.oapi.core.token.AccessTokenType;
import com.lark.oapi.service.im.v1.model.CreateMessageReq;
import com.lark.oapi.service.im.v1.model.CreateMessageReqBody;
import com.lark.oapi.service.im.v1.model.ReplyMessageReq;
import com.lark.oapi.service.im.v1.model.ReplyMessageReqBody;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The open platform calls the channel makes, through the SDK's {@link Client} (which fetches, caches and refreshes
 * the tenant_access_token; the token is never logged). A response with {@code code != 0} is an error even on HTTP
 * 200; throttling (HTTP 429 or code 99991400) and network failures are retried with exponential backoff, which is
 * safe because every send carries a {@code uuid} that Feishu de-duplicates for an hour. Thread-safe.
 */
final class FeishuApi {
    static final int THROTTLED = 99991400;
    static final int MAX_ATTEMPTS = 4;

    /** Feishu refused a call; {@code code} is Feishu's error code. The message holds no secrets. */
    static final class FeishuException extends RuntimeException {
        final int code;

        FeishuException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static final Map<Integer, String> HINTS = Map.of(
            99991672,
                    "the app lacks a permission: add im:message and im:message:send_as_bot under Permissions & Scopes"
                            + " and publish a new version",
            230002, "the bot is not in this chat: add it to the group",
            230013, "the user is outside the app's availability: widen it under Availability in the console",
            99991663, "the tenant_access_token was refused: check channels.feishu.appId and appSecret",
            99991661, "the tenant_access_token was refused: check channels.feishu.appId and appSecret");

    private final Client client;
    private final Retry retry;
    private final ObjectMapper json;

    FeishuApi(FeishuSettings config, ObjectMapper json, Clock clock) {
        this.json = json;
        this.client = Client.newBuilder(config.appId(), config.appSecret())
                .openBaseUrl(config.openBaseUrl())
                .tokenCache(new TokenCache(clock))
                .requestTimeout(30, TimeUnit.SECONDS)
                .logReqAtDebug(false)
                .build();
        this.retry = Retry.of(
                "feishu-send",
                RetryConfig.custom()
                        .maxAttempts(MAX_ATTEMPTS)
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(config.retryBackoff(), 2.0))
                        .retryOnException(FeishuApi::retryable)
                        .build());
    }

    private static boolean retryable(Throwable t) {
        return (t instanceof FeishuException f && f.code == THROTTLED)
                || t instanceof IOException
                || t instanceof ClientTimeoutException
                || t instanceof ServerTimeoutException;
    }

    /** Sends a new message to a chat or user; returns Feishu's message id. */
    String create(String receiveIdType, String receiveId, FeishuFormat.Part part, String uuid) throws Exception {
        CreateMessageReq req = CreateMessageReq.newBuilder()
                .receiveIdType(receiveIdType)
                .createMessageReqBody(CreateMessageReqBody.newBuilder()
                        .receiveId(receiveId)
                        .msgType(part.msgType())
                        .content(part.content())
                        .uuid(uuid)
                        .build())
                .build();
        return call(
                () -> checked(client.im().v1().message().create(req)).getData().getMessageId());
    }

    /** Replies to (quotes) a message; returns Feishu's id of the reply. */
    String reply(String messageId, FeishuFormat.Part part, String uuid) throws Exception {
        ReplyMessageReq req = ReplyMessageReq.newBuilder()
                .messageId(messageId)
                .replyMessageReqBody(ReplyMessageReqBody.newBuilder()
                        .msgType(part.msgType())
                        .content(part.content())
                        .uuid(uuid)
                        .build())
                .build();
        return call(
                () -> checked(client.im().v1().message().reply(req)).getData().getMessageId());
    }

    /** The bot's own open_id, from {@code GET /open-apis/bot/v3/info}. */
    String botOpenId() throws Exception {
        return call(() -> {
            RawResponse raw = client.get("/open-apis/bot/v3/info", null, AccessTokenType.Tenant);
            JsonNode body = json.readTree(new String(raw.getBody(), StandardCharsets.UTF_8));
            int code = body.path("code").asInt(-1);
            if (code != 0 || raw.getStatusCode() == 429) {
                throw failure(raw.getStatusCode(), code, body.path("msg").asText(""));
            }
            return body.path("bot").path("open_id").asText("");
        });
    }

    private <T> T call(Callable<T> call) throws Exception {
        try {
            return retry.executeCallable(call);
        } catch (ObtainAccessTokenException e) {
            throw new FeishuException(
                    -1,
                    "could not get a tenant_access_token (" + e.getMessage()
                            + "): check channels.feishu.appId and appSecret, and channels.feishu.domain");
        }
    }

    private static <R extends BaseResponse<?>> R checked(R response) {
        int status = response.getRawResponse() == null
                ? 200
                : response.getRawResponse().getStatusCode();
        if (response.getCode() != 0 || status == 429) throw failure(status, response.getCode(), response.getMsg());
        return response;
    }

    private static FeishuException failure(int status, int code, String msg) {
        int effective = status == 429 ? THROTTLED : code;
        String hint = HINTS.get(code);
        return new FeishuException(
                effective,
                "Feishu answered HTTP " + status + " code " + code + " (" + msg + ")"
                        + (hint == null ? "" : ": " + hint));
    }
}
