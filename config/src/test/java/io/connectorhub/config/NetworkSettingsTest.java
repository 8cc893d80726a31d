package io.connectorhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.connectorhub.core.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings that guard the hub's port and its outgoing calls. */
class NetworkSettingsTest {
    @TempDir
    Path dir;

    private HubConfig load(String yaml) throws IOException {
        return new ConfigLoader(Map.of()).load(Files.writeString(dir.resolve("hub.yaml"), yaml));
    }

    /** Every problem of a file that does not load, as {@code ./hub config check} prints them. */
    private List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).problems().stream()
                .map(ConfigProblem::toString)
                .toList();
    }

    @Test
    void takesTrustedProxiesAsAddressesAndBlocks() throws IOException {
        HubConfig config = load("""
                server:
                  trustedProxies: [10.0.0.5, 10.0.0.0/8, "fd00::/8", "::1"]
                """);
        assertEquals(
                List.of("10.0.0.5", "10.0.0.0/8", "fd00::/8", "::1"),
                config.runtimeSettings().trustedProxies());
    }

    @Test
    void namesEachTrustedProxyThatIsNotAnAddressOrBlock() {
        List<String> problems = problems("""
                server:
                  trustedProxies: [10.0.0.0/8, proxy.internal, 10.0.0.0/33, 10.0.0.1/8, 010.0.0.1]
                """);
        String fix = "; write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8";
        assertEquals(
                List.of(
                        "server.trustedProxies[1]: \"proxy.internal\" is not an IP address or CIDR block (a host name or"
                                + " a malformed address)" + fix,
                        "server.trustedProxies[2]: \"10.0.0.0/33\" is not an IP address or CIDR block (the prefix"
                                + " length after / must be a number from 0 to 32)" + fix,
                        "server.trustedProxies[3]: \"10.0.0.1/8\" is not an IP address or CIDR block (address bits"
                                + " are set after the /8 prefix)" + fix,
                        "server.trustedProxies[4]: \"010.0.0.1\" is not an IP address or CIDR block (a host name or a"
                                + " malformed address)" + fix),
                problems);
    }
}
