package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/**
 * Remote agent gateways (registered through {@code /api/v1/gateways}).
 *
 * @param heartbeatTimeout a gateway whose last heartbeat is older than this is offline and gets no tasks
 * @param callbackUrl the hub's base URL as gateways reach it (callbacks go to
 *     {@code <callbackUrl>/api/v1/agent-callbacks/<taskId>}); empty: {@code http://<server.host>:<port>}
 * @param allowPrivateTargets let gateway URLs resolve to loopback, private or link-local addresses (off: SSRF)
 */
public record GatewaysConfig(Duration heartbeatTimeout, String callbackUrl, boolean allowPrivateTargets)
        implements Section {
    public GatewaysConfig {
        callbackUrl = callbackUrl == null ? "" : callbackUrl.strip();
    }

    @Override
    public void check(String path, Problems problems) {
        problems.positive(heartbeatTimeout, path + ".heartbeatTimeout");
        problems.require(
                callbackUrl.isEmpty() || callbackUrl.startsWith("http://") || callbackUrl.startsWith("https://"),
                path + ".callbackUrl",
                "must start with http:// or https:// (or be empty to use the hub's own address)");
    }
}
