package io.connectorhub.core.internal.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Who the client is behind reverse proxies ({@code server.trustedProxies}), applied to every request of the hub's
 * port before any handler sees it. When the direct peer is a trusted proxy, the client is the right-most
 * {@code X-Forwarded-For} address that is not itself a trusted proxy, and the scheme is the last
 * {@code X-Forwarded-Proto} value ({@code http} or {@code https}); from any other peer both headers are ignored.
 * Whatever asks a request for its remote address (Javalin's {@code ctx.ip()}, the WebSocket upgrade) then gets that
 * client, so every per-IP limit and log line agrees. Immutable, thread-safe.
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {
    private final List<Cidr> proxies;

    /**
     * @param proxies addresses or CIDR blocks, e.g. {@code 10.0.0.0/8}; empty trusts nobody
     * @throws IllegalArgumentException if one is not an address or block (see {@link Cidr#parse})
     */
    public TrustedProxies(List<String> proxies) {
        this.proxies = proxies.stream().map(Cidr::parse).toList();
    }

    boolean trusted(InetAddress address) {
        for (Cidr c : proxies) if (c.contains(address)) return true;
        return false;
    }

    /**
     * The client a request from {@code peer} carrying {@code forwardedFor} (the {@code X-Forwarded-For} entries,
     * left to right) comes from. Walking from the right, each trusted proxy hands over to the address it names; an
     * entry that is not an IP address ends the walk at the proxy that wrote it.
     */
    InetAddress client(InetAddress peer, List<String> forwardedFor) {
        InetAddress client = peer;
        for (int i = forwardedFor.size() - 1; i >= 0 && trusted(client); i--) {
            try {
                client = Cidr.literal(withoutPort(forwardedFor.get(i).strip()));
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        return client;
    }

    /** {@code [2001:db8::1]:443} and {@code 192.0.2.1:443} without the port; anything else as it is. */
    private static String withoutPort(String entry) {
        int close = entry.indexOf(']');
        if (entry.startsWith("[") && close > 0) return entry.substring(1, close);
        int colon = entry.indexOf(':');
        return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (proxies.isEmpty()
                || !(remote instanceof InetSocketAddress peer)
                || peer.getAddress() == null
                || !trusted(peer.getAddress())) return request;
        HttpFields headers = request.getHeaders();
        InetAddress client = client(peer.getAddress(), headers.getCSV(HttpHeader.X_FORWARDED_FOR, false));
        List<String> protos = new ArrayList<>(headers.getCSV(HttpHeader.X_FORWARDED_PROTO, false));
        String proto = protos.isEmpty() ? null : protos.getLast().toLowerCase(Locale.ROOT);
        if (!"http".equals(proto) && !"https".equals(proto)) proto = null;
        if (client.equals(peer.getAddress()) && proto == null) return request;
        InetSocketAddress forwarded = new InetSocketAddress(client, 0);
        HttpURI uri = proto == null
                ? request.getHttpURI()
                : HttpURI.build(request.getHttpURI()).scheme(proto).asImmutable();
        boolean secure = proto == null ? request.isSecure() : proto.equals("https");
        ConnectionMetaData metaData = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return forwarded;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return metaData;
            }

            @Override
            public HttpURI getHttpURI() {
                return uri;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }
        };
    }

    @Override
    public String toString() {
        return "TrustedProxies" + proxies;
    }
}
