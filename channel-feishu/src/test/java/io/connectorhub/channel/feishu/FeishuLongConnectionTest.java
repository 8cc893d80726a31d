package io.connectorhub.channel.feishu;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.connectorhub.channel.feishu.FeishuHarness.USER;
import static io.connectorhub.channel.feishu.FeishuHarness.body;
import static io.connectorhub.channel.feishu.FeishuHarness.content;
import static io.connectorhub.channel.feishu.FeishuHarness.textEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.lark.oapi.google.protobuf.ByteString;
import com.lark.oapi.ws.pb.Pbbp2;
import io.javalin.Javalin;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-connection mode against a fake Feishu gateway that speaks the SDK's wire protocol: the endpoint call
 * ({@code POST /callback/ws/endpoint} on the fake platform) hands out a WebSocket URL, and the gateway pushes an
 * event as a protobuf data frame, then reads the client's answer frame.
 */
class FeishuLongConnectionTest {
    private static final int SERVICE_ID = 7;

    @TempDir
    Path dir;

    private FeishuHarness feishu;
    private Javalin gateway;
    private final BlockingQueue<Pbbp2.Frame> answers = new LinkedBlockingQueue<>();
    private volatile String pushed;

    @AfterEach
    void stop() {
        if (feishu != null) feishu.close();
        if (gateway != null) gateway.stop();
    }

    private void startGateway() {
        gateway = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.routes.ws("/ws", ws -> {
                        ws.onConnect(ctx -> ctx.send(ByteBuffer.wrap(eventFrame("msg-1", pushed))));
                        ws.onBinaryMessage(ctx -> {
                            ByteBuffer data = ctx.data();
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            Pbbp2.Frame frame = Pbbp2.Frame.parseFrom(bytes);
                            if (frame.getMethod() == 1) answers.add(frame);
                        });
                    });
                })
                .start("127.0.0.1", 0);
    }

    private static byte[] eventFrame(String messageId, String payload) {
        return Pbbp2.Frame.newBuilder()
                .setSeqID(1)
                .setLogID(1)
                .setService(SERVICE_ID)
                .setMethod(1)
                .addHeaders(header("type", "event"))
                .addHeaders(header("message_id", messageId))
                .addHeaders(header("trace_id", "trace-1"))
                .addHeaders(header("sum", "1"))
                .addHeaders(header("seq", "0"))
                .setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8))
                .build()
                .toByteArray();
    }

    private static Pbbp2.Header header(String key, String value) {
        return Pbbp2.Header.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void receivesEventsOverTheLongConnectionAndAnswersThroughTheApi() throws Exception {
        pushed = textEvent("ev-ws-1", "om_ws_1", "hello over the socket").toString();
        startGateway();
        String url = "ws://127.0.0.1:" + gateway.port() + "/ws?device_id=dev-1&service_id=" + SERVICE_ID;
        feishu = FeishuHarness.start(
                dir,
                "    mode: longconn\n",
                request -> "You said: " + request.text(),
                platform -> platform.stubFor(post(urlPathEqualTo("/callback/ws/endpoint"))
                        .willReturn(okJson("{\"code\":0,\"msg\":\"ok\",\"data\":{\"URL\":\"" + url
                                + "\",\"ClientConfig\":{\"ReconnectCount\":-1,\"ReconnectInterval\":120,"
                                + "\"ReconnectNonce\":30,\"PingInterval\":120}}}"))));

        Pbbp2.Frame answer = answers.poll(10, TimeUnit.SECONDS);
        JsonNode ack = FeishuHarness.JSON.readTree(answer.getPayload().toStringUtf8());
        assertEquals(200, ack.path("code").asInt(), ack.toString());

        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.sends().size() == 1);
        assertEquals(USER, body(feishu.sends().get(0)).path("receive_id").asText());
        assertEquals(
                "You said: hello over the socket",
                content(feishu.sends().get(0)).path("text").asText());
        assertEquals("ev-ws-1", feishu.asked.poll().message().id());

        // The endpoint call carried the app credentials; webhook routes are not mounted in this mode.
        JsonNode endpointCall = body(feishu.platform
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        urlPathEqualTo("/callback/ws/endpoint")))
                .get(0));
        assertEquals(FeishuHarness.APP_ID, endpointCall.path("AppID").asText());
        assertEquals(404, feishu.postEvent("{}", Map.of()).statusCode());
        assertEquals("longconn", feishu.channel().webhookStatus().mode());
        assertNull(feishu.channel().webhookStatus().url());
        assertFalse(feishu.channel().webhookStatus().verified());
    }

    @Test
    void reportsCredentialsTheGatewayRefuses() throws Exception {
        feishu = FeishuHarness.start(
                dir,
                "    mode: longconn\n",
                request -> "unused",
                platform -> platform.stubFor(post(urlPathEqualTo("/callback/ws/endpoint"))
                        .willReturn(okJson("{\"code\":514,\"msg\":\"auth failed\"}"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> feishu.channel().lastError() != null);
        String problem = feishu.channel().webhookStatus().lastError();
        assertTrue(problem.contains("long connection was refused"), problem);
        assertTrue(problem.contains("channels.feishu.appId"), problem);
        assertFalse(problem.contains(FeishuHarness.APP_SECRET), problem);
    }
}
