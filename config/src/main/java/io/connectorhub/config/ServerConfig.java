package io.connectorhub.config;

import io.connectorhub.core.Problems;
import io.connectorhub.core.internal.net.Cidr;
import java.util.List;

/**
 * The one HTTP/WebSocket port.
 *
 * @param trustedProxies reverse proxies (addresses or CIDR blocks) whose {@code X-Forwarded-For} and
 *     {@code X-Forwarded-Proto} headers name the client; empty: the direct peer is the client
 */
public record ServerConfig(String host, int port, long maxRequestBytes, List<String> trustedProxies)
        implements Section {
    public ServerConfig {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    @Override
    public void check(String path, Problems problems) {
        problems.require(
                host != null && !host.isBlank(), path + ".host", "is empty: use 127.0.0.1, 0.0.0.0 or a host name");
        problems.range(port, 0, 65535, path + ".port");
        problems.range(maxRequestBytes, 1024, 1L << 30, path + ".maxRequestBytes");
        for (int i = 0; i < trustedProxies.size(); i++) {
            try {
                Cidr.parse(trustedProxies.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".trustedProxies[" + i + "]", e.getMessage());
            }
        }
    }

    /** How this machine reaches the hub listening on {@code port}: a wildcard host becomes the loopback address. */
    public String localUrl(int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
