package io.connectorhub.core.internal.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Keeps the hub's calls to URLs that others choose (webhooks, hook callbacks, agent gateways) away from its own
 * networks (SSRF), unless private targets are allowed. Refused: every block of the IANA special-purpose registries
 * for IPv4 and IPv6 (loopback, private, link-local with the cloud metadata address, carrier-grade NAT, benchmarking,
 * documentation, reserved, IPv4-mapped and -compatible, ...) and multicast; a NAT64 ({@code 64:ff9b::/96}) or 6to4
 * ({@code 2002::/16}) address when the IPv4 address it leads to is refused.
 *
 * <p>A URL is checked when it is registered ({@link #problem}), parsed as OkHttp parses it, with ambiguous IPv4 forms
 * ({@code 0177.0.0.1}, {@code 127.1}, {@code 0x7f.0.0.1}, {@code 2130706433}) refused outright. A client made by
 * {@link #apply} checks again on every connection: as OkHttp's {@link Dns} (a name that now resolves elsewhere, DNS
 * rebinding, fails), and on the very address each socket is about to connect to (OkHttp connects to IP literals
 * without asking the {@code Dns}), so the address checked is the address connected to. Thread-safe.
 */
public final class TargetGuard implements Dns {
    private static final List<Cidr> REFUSED = List.of(
                    // IPv4 special-purpose registry (RFC 6890 and its updates), then multicast.
                    "0.0.0.0/8",
                    "10.0.0.0/8",
                    "100.64.0.0/10",
                    "127.0.0.0/8",
                    "169.254.0.0/16",
                    "172.16.0.0/12",
                    "192.0.0.0/24",
                    "192.0.2.0/24",
                    "192.31.196.0/24",
                    "192.52.193.0/24",
                    "192.88.99.0/24",
                    "192.168.0.0/16",
                    "192.175.48.0/24",
                    "198.18.0.0/15",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                    "224.0.0.0/4",
                    "240.0.0.0/4", // reserved, with 255.255.255.255
                    // IPv6 special-purpose registry, then site-local and multicast.
                    "::/96", // unspecified, loopback, IPv4-compatible (deprecated)
                    "::ffff:0:0/96", // IPv4-mapped
                    "::ffff:0:0:0/96", // IPv4-translated
                    "64:ff9b:1::/48", // local-use NAT64
                    "100::/64", // discard-only
                    "100:0:0:1::/64", // dummy prefix
                    "2001::/23", // IETF protocol assignments: Teredo, benchmarking, ORCHID, AS112, AMT...
                    "2001:db8::/32", // documentation
                    "2620:4f:8000::/48", // AS112
                    "3fff::/20", // documentation
                    "5f00::/16", // segment routing
                    "fc00::/7", // unique local
                    "fe80::/10", // link-local
                    "fec0::/10", // site-local (deprecated)
                    "ff00::/8")
            .stream()
            .map(Cidr::parse)
            .toList();

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Pattern NUMBER = Pattern.compile("\\d+|0[xX][0-9A-Fa-f]*");

    private final boolean allowPrivate;
    private final String setting;
    private final Dns resolver;
    private final SocketFactory sockets = new GuardedSockets();

    /**
     * @param allowPrivate let everything through (the operator's choice, for receivers on their own network)
     * @param setting the configuration key that allows private targets, named in refusals
     * @param resolver how host names are resolved ({@link Dns#SYSTEM}; tests pass their own)
     */
    public TargetGuard(boolean allowPrivate, String setting, Dns resolver) {
        this.allowPrivate = allowPrivate;
        this.setting = setting;
        this.resolver = resolver;
    }

    /** Null if {@code url} may be used, else why not, phrased to follow the field name ({@code url is ...}). */
    public String problem(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return "must be an http:// or https:// URL";
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) return "is not a valid URL";
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty())
            return "must not contain a user name or password";
        String host = parsed.host();
        if (ambiguousIpv4(host))
            return "has the host " + host + ", which different programs read as different IPv4 addresses: write the"
                    + " address as four decimal numbers without leading zeros (such as 192.0.2.10), or use a name";
        try {
            if (host.contains(":") || Cidr.IPV4.matcher(host).matches()) check(host, Cidr.literal(host));
            else lookup(host);
            return null;
        } catch (UnknownHostException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether {@code host} (as {@link HttpUrl} leaves it) ends in a number, as an IPv4 address does, without being
     * the plain dotted-decimal form that every parser reads alike.
     */
    static boolean ambiguousIpv4(String host) {
        if (host.contains(":")) return false;
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return NUMBER.matcher(last).matches() && !Cidr.IPV4.matcher(host).matches();
    }

    /** Resolves {@code host} and refuses it if any of its addresses is refused (unless private targets are allowed). */
    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        List<InetAddress> addresses = resolver.lookup(host);
        for (InetAddress a : addresses) check(host, a);
        return addresses;
    }

    private void check(String host, InetAddress address) throws UnknownHostException {
        if (!allowPrivate && refused(address))
            throw new UnknownHostException(host + " resolves to the internal address " + address.getHostAddress()
                    + "; set " + setting + ": true to allow it");
    }

    /** Whether the guard refuses {@code address} (when private targets are not allowed). */
    public static boolean refused(InetAddress address) {
        for (Cidr c : REFUSED) if (c.contains(address)) return true;
        byte[] b = address.getAddress();
        try {
            if (NAT64.contains(address))
                return refused(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            if (SIX_TO_FOUR.contains(address))
                return refused(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
        } catch (UnknownHostException e) {
            return true; // cannot happen with four bytes
        }
        return false;
    }

    /**
     * {@code builder}, made to connect only where this guard allows: host names resolve through the guard, every
     * socket checks the address it connects to, and no proxy stands in between (the proxy would connect instead).
     */
    public OkHttpClient.Builder apply(OkHttpClient.Builder builder) {
        return builder.dns(this).socketFactory(sockets).proxy(Proxy.NO_PROXY);
    }

    /** Sockets that refuse to connect to a refused address. */
    private final class GuardedSockets extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    if (!allowPrivate
                            && endpoint instanceof InetSocketAddress target
                            && (target.getAddress() == null || refused(target.getAddress())))
                        // Not a ConnectException, which OkHttp would wrap in one that hides this message.
                        throw new SocketException("refused to connect to the internal address " + target + "; set "
                                + setting + ": true to allow it");
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port));
        }

        private Socket connected(InetSocketAddress target) throws IOException {
            Socket socket = createSocket();
            socket.connect(target);
            return socket;
        }
    }
}
