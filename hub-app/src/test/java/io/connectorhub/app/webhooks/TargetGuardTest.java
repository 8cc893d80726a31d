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
                "::ffff:127.0.0.1")) {
            assertThrows(UnknownHostException.class, () -> strict.lookup(host), host);
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
