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
 * unique-local, multicast or wildcard addresses, unless private targets are allowed. Checked when a URL is
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
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
