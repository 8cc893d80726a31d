package io.connectorhub.channel.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.agent.Agent;
import io.connectorhub.agent.testing.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A hub with the Telegram channel on a {@link FakeBotApi}, for the channel's end-to-end tests. */
abstract class TelegramHubTest {
    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    FakeBotApi api;
    TestHub hub;
    final AtomicInteger agentCalls = new AtomicInteger();
    final Agent echo = (request, stream) -> {
        agentCalls.incrementAndGet();
        return "Echo: " + request.text();
    };

    @BeforeEach
    void startApi() throws Exception {
        api = new FakeBotApi();
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        api.close();
    }

    String yaml(String extra) {
        return yaml(api, "\"42\", \"alice\"", extra);
    }

    /**
     * The {@code channels} of a hub.yaml: the Telegram channel alone, on {@code api}, with the {@code allowFrom}
     * entries (as YAML list items) and the {@code extra} keys of {@code channels.telegram}.
     */
    static String yaml(FakeBotApi api, String allowFrom, String extra) {
        return """
                channels:
                  telegram:
                    enabled: true
                    token: "%s"
                    allowFrom: [%s]
                    apiUrl: %s
                    pollTimeout: 1s
                %s""".formatted(FakeBotApi.TOKEN, allowFrom, api.url(), extra.indent(4));
    }

    TestHub start(String extra, Agent agent) throws Exception {
        hub = TestHub.start(dir, yaml(extra), agent);
        return hub;
    }

    TelegramChannel channel() {
        return (TelegramChannel) hub.runtime().channels().channel(TelegramChannel.NAME);
    }

    List<FakeBotApi.Call> sent() {
        return api.calls("sendMessage");
    }

    List<FakeBotApi.Call> sentText(String text) {
        return sent().stream().filter(c -> c.text().equals(text)).toList();
    }

    /** Delivers {@code body} to the hub's Telegram webhook route as Telegram would; returns the status. */
    int post(String body, String secret) throws Exception {
        return deliver(body, secret).statusCode();
    }

    HttpResponse<String> deliver(String body, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.port() + TelegramChannel.WEBHOOK_PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (secret != null) request.header(TelegramChannel.SECRET_HEADER, secret);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The body Telegram posts to a webhook for the queued update {@code updateId}. */
    String webhookBody(int updateId) {
        return "{\"update_id\":" + updateId + ",\"message\":" + api.messageOf(updateId) + "}";
    }
}
