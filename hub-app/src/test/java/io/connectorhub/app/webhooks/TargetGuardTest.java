package io.connectorhub.app.webhooks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetGuardTest {
    private final TargetGuard strict = new TargetGuard(false);

    @Test
    void refusesLoopbackLinkLocalPrivateAndWildcardAddresses() {
        for (String host : List.of(
                "127.0.0.1",
                "localhost",
                "169.254.169.254",
                "10.0.0.1",
                "172.16.5.4",
                "192.168.1.1",
                "100.64.0.1",
                "0.0.0.0",
                "::1",
                "fd00::1",
                "fe80::1",
                "::ffff:127.0.0.1",
                "fec0::1")) {
            assertThrows(UnknownHostException.class, () -> strict.lookup(host), host);
        }
    }

    @Test
    void refusesIpv6AddressesThatEmbedAnInternalIpv4Address() {
        for (String host : List.of(
                "::ffff:10.0.0.1", // mapped
                "::ffff:0:127.0.0.1", // translated
                "::127.0.0.1", // compatible
                "::169.254.169.254",
                "::a00:1", // compatible, 10.0.0.1 written in hex
                "64:ff9b::127.0.0.1", // NAT64
                "64:ff9b::a9fe:a9fe", // NAT64 to 169.254.169.254
                "64:ff9b::192.168.0.1",
                "64:ff9b:1::8.8.8.8", // local-use NAT64 prefix
                "2002:7f00:1::", // 6to4 for 127.0.0.1
                "2002:a9fe:a9fe::1", // 6to4 for 169.254.169.254
                "2002:c0a8:101:1::1", // 6to4 for 192.168.1.1
                "2001:0:a00:1::1", // Teredo via server 10.0.0.1
                "2001:0:5db8:1::80ff:fffe")) { // Teredo to client 127.0.0.1 (stored inverted)
            assertThrows(UnknownHostException.class, () -> strict.lookup(host), host);
            assertNotNull(strict.problem("http://[" + host + "]/hook"), host);
        }
    }

    @Test
    void allowsIpv6AddressesThatEmbedAPublicIpv4Address() {
        for (String host : List.of(
                "::ffff:93.184.216.34", "64:ff9b::93.184.216.34", "2002:5db8:d822::1", "2001:0:5db8:1::a247:27dd")) {
            assertDoesNotThrow(() -> strict.lookup(host), host);
        }
    }

    @Test
    void allowsPublicAddressesAndPrivateOnesWhenConfigured() {
        assertDoesNotThrow(() -> strict.lookup("93.184.216.34"));
        assertDoesNotThrow(() -> strict.lookup("2606:4700::1111"));
        assertDoesNotThrow(() -> new TargetGuard(true).lookup("127.0.0.1"));
    }

    @Test
    void checksSchemeHostAndCredentialsOfAUrl() {
        assertNull(strict.problem("https://93.184.216.34/hook"));
        assertNotNull(strict.problem("ftp://93.184.216.34/hook"));
        assertNotNull(strict.problem("https://user:pw@93.184.216.34/hook"));
        assertNotNull(strict.problem("not a url"));
        assertNotNull(strict.problem("http://[::1]:8080/"));
    }
}
