package io.connectorhub.channel.websocket;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentLoop;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The core runtime with the WebSocket channel and an agent loop, on a free port and a temporary data directory. */
final class WsHarness implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";

    final HubRuntime runtime;
    final HubConfig config;

    private WsHarness(HubRuntime runtime, HubConfig config) {
        this.runtime = runtime;
        this.config = config;
    }

    /** @param websocketYaml extra keys for {@code channels.websocket}, indented by four spaces */
    static WsHarness start(Path dir, String websocketYaml, Agent agent) throws Exception {
        HubConfig config = config(dir, websocketYaml);
        HubRuntime runtime = HubRuntime.open(config.runtimeSettings(), Clock.systemUTC());
        runtime.addChannel(new WebSocketChannelFactory()
                .create(config, runtime.channelContext())
                .orElseThrow());
        runtime.addService(new AgentLoop(
                runtime.bus(),
                runtime.inbox(),
                runtime.sessions(),
                runtime.channels()::isAllowed,
                m -> agent,
                runtime.metrics(),
                new AgentLoop.Settings(16, 50, java.time.Duration.ofMinutes(1))));
        runtime.start();
        return new WsHarness(runtime, config);
    }

    static HubConfig config(Path dir, String websocketYaml) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, """
                server:
                  port: 0
                store:
                  dataDir: %s
                channels:
                  websocket:
                    token: %s
                %s
                """.formatted(dir.resolve("data"), TOKEN, websocketYaml));
        return new ConfigLoader(Map.of()).load(file);
    }

    int port() {
        return runtime.port();
    }

    WsTestClient client() {
        return WsTestClient.authorized(port(), TOKEN);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
