package io.connectorhub.app.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;

/**
 * Keeps webhook deliveries away from the hub's own network (SSRF): refuses URLs that are not http(s) and hosts that
 * resolve to loopback, link-local (169.254.0.0/16, the cloud metadata address), private, carrier-grade NAT,
 * unique-local, multicast or wildcard addresses, and IPv6 addresses that embed one of those IPv4 addresses (mapped,
 * compatible, NAT64, 6to4, Teredo), unless private targets are allowed. Checked when a URL is
 * registered and again, as OkHttp's {@link Dns}, on every connection, so a name that later resolves elsewhere (DNS
 * rebinding) is still refused. Thread-safe.
 */
public final class TargetGuard implements Dns {
    private final boolean allowPrivate;

    public TargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Null if {@code url} may be used, else why not (for a 400 naming the field). */
    public String problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return "must be an http:// or https:// URL";
        if (uri.getHost() == null || uri.getHost().isEmpty()) return "has no host";
        if (uri.getUserInfo() != null) return "must not contain a user name or password";
        try {
            lookup(uri.getHost());
            return null;
        } catch (UnknownHostException e) {
            return e.getMessage();
        }
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses = List.of(InetAddress.getAllByName(bare));
        if (allowPrivate) return addresses;
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new UnknownHostException(host + " resolves to the internal address " + a.getHostAddress()
                        + "; set webhooks.allowPrivateTargets: true to allow it");
            }
        }
        return addresses;
    }

    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isAnyLocalAddress()
                || a.isMulticastAddress()) return true;
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return true; // fc00::/7 unique local
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    return isInternal(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            // 64:ff9b:1::/48 is NAT64 for local use only (RFC 8215): it only leads into the hub's own network.
            if (startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) return true;
        }
        return false;
    }

    /**
     * The IPv4 address an IPv6 address stands for, where the network would route it there: IPv4-mapped
     * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} (RFC 6052), 6to4
     * {@code 2002:aabb:ccdd::/48} (RFC 3056) and Teredo {@code 2001:0::/32} (RFC 4380; server and client address, so
     * either being internal refuses it). Null for other addresses.
     */
    private static byte[] embeddedIpv4(byte[] b) {
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return last4(b); // mapped
        if (zeros(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zeros(b, 10, 12))
            return last4(b); // translated ::ffff:0:a.b.c.d (SIIT)
        if (zeros(b, 0, 12)) return last4(b); // compatible; ::, ::1 land in 0.0.0.0/8, which is refused
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && zeros(b, 4, 12)) return last4(b); // NAT64 well-known prefix
        if (startsWith(b, 0x20, 0x02)) return new byte[] {b[2], b[3], b[4], b[5]}; // 6to4
        if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {
            byte[] server = {b[4], b[5], b[6], b[7]};
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            try {
                return isInternal(InetAddress.getByAddress(server)) ? server : client;
            } catch (UnknownHostException e) {
                return server;
            }
        }
        return null;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xff) != prefix[i]) return false;
        return true;
    }

    private static byte[] last4(byte[] b) {
        return new byte[] {b[12], b[13], b[14], b[15]};
    }
}
