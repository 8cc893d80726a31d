package io.connectorhub.core.internal.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.testing.TableDns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetGuardTest {
    private final TableDns dns = new TableDns();
    private final TargetGuard strict = new TargetGuard(false, "webhooks.allowPrivateTargets", dns);

    /** One address out of each block of the IANA special-purpose registries, multicast and reserved. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "0.1.2.3", // "this network"
                "10.0.0.1",
                "10.255.255.255", // private
                "100.64.0.1",
                "100.127.255.254", // shared address space (carrier-grade NAT)
                "127.0.0.1",
                "127.255.255.254", // loopback
                "169.254.169.254",
                "169.254.0.1", // link-local, the cloud metadata address
                "172.16.0.1",
                "172.31.255.254", // private
                "192.0.0.1",
                "192.0.0.9",
                "192.0.0.170", // IETF protocol assignments
                "192.0.2.1", // TEST-NET-1
                "192.31.196.1", // AS112
                "192.52.193.1", // AMT
                "192.88.99.1", // deprecated 6to4 relay anycast
                "192.168.1.1", // private
                "192.175.48.1", // AS112 direct delegation
                "198.18.0.1",
                "198.19.255.254", // benchmarking
                "198.51.100.1", // TEST-NET-2
                "203.0.113.1", // TEST-NET-3
                "224.0.0.1",
                "239.255.255.250", // multicast
                "240.0.0.1",
                "255.255.255.254", // reserved
                "255.255.255.255", // limited broadcast
                "::",
                "::1", // unspecified, loopback
                "::127.0.0.1",
                "::8.8.8.8",
                "::a00:1", // IPv4-compatible (deprecated)
                "::ffff:0:127.0.0.1",
                "::ffff:0:8.8.8.8", // IPv4-translated
                "64:ff9b:1::8.8.8.8", // local-use NAT64
                "64:ff9b::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b::192.168.0.1", // NAT64 to a refused address
                "100::1", // discard-only
                "100:0:0:1::1", // dummy prefix
                "2001::1",
                "2001:0:a00:1::1",
                "2001:0:5db8:1::a247:27dd", // Teredo
                "2001:1::1",
                "2001:2::1",
                "2001:3::1",
                "2001:4:112::1", // PCP, benchmarking, AMT, AS112
                "2001:10::1",
                "2001:20::1",
                "2001:30::1", // ORCHID, ORCHIDv2, drone remote ID
                "2001:db8::1",
                "2001:db8:ffff::1", // documentation
                "2002:7f00:1::1",
                "2002:a9fe:a9fe::1",
                "2002:c0a8:101:1::1", // 6to4 of a refused address
                "2620:4f:8000::1", // AS112 direct delegation
                "3fff::1",
                "3fff:fff::1", // documentation
                "5f00::1", // segment routing
                "fc00::1",
                "fd00::1", // unique local
                "fe80::1",
                "febf::1", // link-local
                "fec0::1", // site-local (deprecated)
                "ff02::1",
                "ff0e::1" // multicast
            })
    void refusesSpecialPurposeAddresses(String address) {
        InetAddress a = Cidr.literal(address);
        assertTrue(TargetGuard.refused(a), address);
        dns.answer("special.test", address);
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> strict.lookup("special.test"));
        assertTrue(e.getMessage().contains("webhooks.allowPrivateTargets"), e.getMessage());
        String url = "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":8080/hook";
        assertNotNull(strict.problem(url), url);
    }

    @Test
    void refusesAnIpv4MappedAddressEvenWhenJavaWouldKeepItIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertTrue(TargetGuard.refused(java.net.Inet6Address.getByAddress(null, mapped, null)));
        // Written in a URL, Java and OkHttp both read it as the IPv4 address it maps, and check that.
        assertNotNull(strict.problem("http://[::ffff:127.0.0.1]/"));
        assertNull(strict.problem("http://[::ffff:93.184.216.34]/"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "1.1.1.1",
                "100.63.255.255",
                "100.128.0.0",
                "172.32.0.1",
                "192.0.1.1",
                "198.17.255.255",
                "198.20.0.1",
                "223.255.255.255",
                "2606:4700::1111",
                "2a00:1450:4001::1",
                "64:ff9b::93.184.216.34", // NAT64 to a public address (IPv6-only networks with DNS64)
                "2002:5db8:d822::1" // 6to4 of a public address
            })
    void allowsPublicAddresses(String address) {
        assertFalse(TargetGuard.refused(Cidr.literal(address)), address);
        dns.answer("public.test", address);
        assertDoesNotThrow(() -> strict.lookup("public.test"));
    }

    @Test
    void allowsEverythingWhenPrivateTargetsAreAllowed() {
        TargetGuard open = new TargetGuard(true, "webhooks.allowPrivateTargets", dns);
        dns.answer("intranet.test", "10.1.2.3");
        assertDoesNotThrow(() -> open.lookup("intranet.test"));
        assertNull(open.problem("http://127.0.0.1:9/x"));
        assertNull(open.problem("http://intranet.test/x"));
    }

    @Test
    void refusesAHostWithAnyInternalAddress() {
        dns.answer("mixed.test", "93.184.216.34", "10.0.0.1");
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> strict.lookup("mixed.test"));
        assertEquals(
                "mixed.test resolves to the internal address 10.0.0.1; set webhooks.allowPrivateTargets: true to"
                        + " allow it",
                e.getMessage());
    }

    /** How OkHttp's HttpUrl leaves such hosts: as written, then Java reads 0177.0.0.1 as 177.0.0.1, curl as 127.0.0.1. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0177.0.0.1",
                "0177.0.0.01",
                "127.000.000.001",
                "127.0.0.01",
                "127.1",
                "127.0.1",
                "2130706433",
                "017700000001",
                "0x7f.0.0.1",
                "0x7f000001",
                "0x7F.1",
                "1.2.3.4.",
                "foo.123"
            })
    void refusesAmbiguousIpv4FormsBeforeAnyLookup(String host) {
        String problem = strict.problem("http://" + host + "/hook");
        assertNotNull(problem, host);
        assertTrue(problem.contains("four decimal numbers without leading zeros"), problem);
        assertEquals(List.of(), dns.asked, "no lookup for " + host);
        assertTrue(new TargetGuard(true, "x", dns).problem("http://" + host + "/hook") != null, "even when allowed");
    }

    @Test
    void checksSchemeHostAndCredentialsOfAUrl() {
        dns.answer("hooks.example.com", "93.184.216.34");
        assertNull(strict.problem("https://93.184.216.34/hook"));
        assertNull(strict.problem("https://hooks.example.com/hook"));
        assertTrue(strict.problem("ftp://93.184.216.34/hook").contains("http://"));
        assertTrue(strict.problem("https://user:pw@93.184.216.34/hook").contains("user name"));
        assertNotNull(strict.problem("not a url"));
        assertNotNull(strict.problem("http://[::1]:8080/"));
        assertNotNull(strict.problem("http://unknown.test/"), "a name that does not resolve");
        // OkHttp decodes and folds hosts before it connects; the guard checks what it will connect to.
        assertNotNull(strict.problem("http://%31%32%37.0.0.1/"));
        assertNotNull(strict.problem("http://\u2460\u2461\u2466.0.0.1/"));
    }

    @Test
    void refusesANameThatResolvesElsewhereOnConnectionBeforeConnecting() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            internal.setSoTimeout(300);
            dns.answer("rebind.test", "93.184.216.34");
            assertNull(strict.problem("http://rebind.test:" + internal.getLocalPort() + "/hook"), "registered");
            dns.answer("rebind.test", "127.0.0.1");

            OkHttpClient client = strict.apply(new OkHttpClient.Builder()).build();
            IOException e = assertThrows(
                    IOException.class, () -> call(client, "http://rebind.test:" + internal.getLocalPort() + "/hook"));
            assertTrue(e.getMessage().contains("internal address 127.0.0.1"), e.getMessage());
            assertThrows(SocketTimeoutException.class, internal::accept, "nobody connected");
        }
    }

    @Test
    void refusesAnInternalIpLiteralOnConnectionBeforeConnecting() throws Exception {
        // OkHttp connects to IP literals without asking the Dns: a URL stored before the guard, or under another
        // setting, is still refused at the socket.
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            internal.setSoTimeout(300);
            OkHttpClient client = strict.apply(new OkHttpClient.Builder()).build();
            IOException e = assertThrows(
                    IOException.class, () -> call(client, "http://127.0.0.1:" + internal.getLocalPort() + "/hook"));
            assertTrue(e.getMessage().contains("webhooks.allowPrivateTargets"), e.getMessage());
            assertThrows(SocketTimeoutException.class, internal::accept, "nobody connected");
            assertEquals(List.of(), dns.asked);
        }
    }

    @Test
    void connectsToAnAllowedAddress() throws Exception {
        try (ServerSocket local = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            OkHttpClient client = new TargetGuard(true, "x", dns)
                    .apply(new OkHttpClient.Builder())
                    .callTimeout(java.time.Duration.ofSeconds(2))
                    .build();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    call(client, "http://127.0.0.1:" + local.getLocalPort() + "/");
                } catch (IOException expected) {
                    // the server never answers
                }
            });
            local.setSoTimeout(5_000);
            local.accept().close();
            caller.join();
        }
    }

    private static void call(OkHttpClient client, String url) throws IOException {
        try (Response ignored =
                client.newCall(new Request.Builder().url(url).build()).execute()) {
            // only whether it connects matters
        }
    }
}
