package io.connectorhub.channel.feishu;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.connectorhub.channel.feishu.FeishuHarness.APP_ID;
import static io.connectorhub.channel.feishu.FeishuHarness.APP_SECRET;
import static io.connectorhub.channel.feishu.FeishuHarness.BOT;
import static io.connectorhub.channel.feishu.FeishuHarness.TOKEN;
import static io.connectorhub.channel.feishu.FeishuHarness.textEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.internal.HubRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub whose bus holds one message and has no agent loop taking from it, so the second event finds the bus full.
 * (A blocked agent does not fill the bus: the agent loop keeps taking messages into its per-session lanes.)
 */
class FeishuFullBusTest {
    @TempDir
    Path dir;

    private WireMockServer platform;
    private HubRuntime runtime;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (runtime != null) runtime.close();
        if (platform != null) platform.stop();
    }

    private HttpResponse<String> deliver(String plainEvent) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + WebhookEndpoint.PATH))
                        .timeout(Duration.ofSeconds(3))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(plainEvent))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers200OnceTheEventIsStoredEvenIfTheBusIsFull() throws Exception {
        platform = new WireMockServer(options().dynamicPort());
        platform.start();
        platform.stubFor(post(urlPathEqualTo("/open-apis/auth/v3/tenant_access_token/internal"))
                .willReturn(okJson("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-x\",\"expire\":7200}")));
        platform.stubFor(get(urlPathEqualTo("/open-apis/bot/v3/info"))
                .willReturn(okJson("{\"code\":0,\"msg\":\"ok\",\"bot\":{\"open_id\":\"" + BOT + "\"}}")));
        HubConfig config = TestHub.config(
                dir,
                "bus:\n  inboundCapacity: 1\n  publishTimeout: 50ms\nchannels:\n  feishu:\n    enabled: true\n"
                        + "    appId: " + APP_ID + "\n    appSecret: " + APP_SECRET + "\n    verificationToken: "
                        + TOKEN + "\n    encryptKey: \"\"\n    baseUrl: http://127.0.0.1:" + platform.port()
                        + "\n    allowFrom: [\"*\"]\n");
        runtime = HubRuntime.open(config.runtimeSettings(), Clock.systemUTC());
        runtime.addChannel(config.channels().section(FeishuChannel.NAME).create(runtime.channelContext()));
        runtime.start();

        assertEquals(200, deliver(textEvent("ev-a", "om_a", "first").toString()).statusCode());
        assertEquals(1, runtime.bus().inboundDepth());
        assertEquals(
                200, deliver(textEvent("ev-b", "om_b", "second").toString()).statusCode());
        assertEquals(1, runtime.bus().inboundDepth(), "the bus had no room for the second event");
        assertEquals(
                List.of("ev-a processing", "ev-b pending"),
                runtime.store()
                        .read(h -> h.createQuery("SELECT message_id || ' ' || state FROM inbox ORDER BY 1")
                                .mapTo(String.class)
                                .list()),
                "both events are stored: the first queued (claimed for this hub's agent loop), the second pending");
        assertEquals(
                List.of("ev-b"),
                runtime.inbox().unfinished(10).stream().map(InboundMessage::id).toList(),
                "the second is left for the inbox sweep");
        assertEquals(2, runtime.metrics().count("feishu", HubMetrics.INBOUND));
    }
}
