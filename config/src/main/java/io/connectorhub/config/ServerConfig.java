package io.connectorhub.config;

/** The one HTTP/WebSocket port. */
public record ServerConfig(String host, int port, long maxRequestBytes) implements Section {
    @Override
    public void check(String path, Problems problems) {
        problems.require(
                host != null && !host.isBlank(), path + ".host", "is empty: use 127.0.0.1, 0.0.0.0 or a host name");
        problems.range(port, 0, 65535, path + ".port");
        problems.range(maxRequestBytes, 1024, 1L << 30, path + ".maxRequestBytes");
    }

    /** How this machine reaches the hub listening on {@code port}: a wildcard host becomes the loopback address. */
    public String localUrl(int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
