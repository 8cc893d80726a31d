package io.connectorhub.channel.websocket;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.HubRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A {@link TestHub} with the WebSocket channel under a known token. */
final class WsHarness implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";

    private final TestHub hub;
    final HubRuntime runtime;

    private WsHarness(TestHub hub) {
        this.hub = hub;
        this.runtime = hub.runtime();
    }

    /** @param websocketYaml extra keys for {@code channels.websocket}, indented by four spaces */
    static WsHarness start(Path dir, String websocketYaml, Agent agent) throws Exception {
        return start(dir, websocketYaml, agent, List.of());
    }

    /** As {@link #start(Path, String, Agent)}, with {@code server.trustedProxies} set. */
    static WsHarness start(Path dir, String websocketYaml, Agent agent, List<String> trustedProxies) throws Exception {
        String proxies = trustedProxies.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
        HubConfig config = TestHub.config(
                dir,
                "  trustedProxies: [" + proxies + "]\n",
                "channels:\n  websocket:\n    token: " + TOKEN + "\n" + websocketYaml);
        return new WsHarness(TestHub.start(config, agent));
    }

    int port() {
        return hub.port();
    }

    WsTestClient client() {
        return WsTestClient.authorized(port(), TOKEN);
    }

    @Override
    public void close() {
        hub.close();
    }
}
