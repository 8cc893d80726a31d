package io.connectorhub.core.internal.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A block of IP addresses written as {@code address/prefix} ({@code 10.0.0.0/8}, {@code fc00::/7}), or one address
 * (a full-length prefix). Parsing never asks DNS: only literal addresses are accepted, IPv4 strictly as four decimal
 * numbers without leading zeros. Immutable.
 */
public final class Cidr {
    /** An IPv4 address as four decimal numbers 0-255 without leading zeros: the form every parser reads alike. */
    static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code 192.168.0.0/16}, {@code 2001:db8::/32}, {@code 10.0.0.7} or {@code ::1}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong: a host name, a prefix out of range, or
     *     address bits set after the prefix
     */
    public static Cidr parse(String text) {
        String s = text == null ? "" : text.strip();
        int slash = s.indexOf('/');
        byte[] address;
        try {
            address = bytes(literal(slash < 0 ? s : s.substring(0, slash)), s.contains(":"));
        } catch (IllegalArgumentException e) {
            throw invalid(s, "a host name or a malformed address");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = s.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits)
                throw invalid(s, "the prefix length after / must be a number from 0 to " + bits);
            prefix = Integer.parseInt(length);
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0)
                throw invalid(s, "address bits are set after the /" + prefix + " prefix");
        }
        return new Cidr(address, prefix, s);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block (" + why
                + "); write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8");
    }

    /**
     * The address a literal stands for, without a DNS lookup: IPv4 as four decimal numbers 0-255 without leading
     * zeros, or IPv6 (brackets allowed).
     *
     * @throws IllegalArgumentException if {@code text} is not such a literal
     */
    public static InetAddress literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (IPV4.matcher(s).matches() || IPV6.matcher(s).matches()) {
            try {
                return InetAddress.getByName(s); // a literal by the patterns above: no lookup
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an IP address (such as 10.0.0.7 or 2001:db8::7)");
    }

    /** Whether {@code address} lies in this block; an IPv4 address never lies in an IPv6 block, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != network.length) return false;
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
        }
        return true;
    }

    /** The address's bytes; an IPv4-mapped IPv6 literal (which Java reads as IPv4) keeps its 16 bytes. */
    private static byte[] bytes(InetAddress address, boolean writtenAsIpv6) {
        byte[] b = address.getAddress();
        if (!(writtenAsIpv6 && address instanceof Inet4Address)) return b;
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    @Override
    public String toString() {
        return text;
    }
}
