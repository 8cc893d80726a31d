package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.core.testing.PasswordRefusingServer;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub doctor} with {@code store.url} set: the store check reads PostgreSQL, read-only, and names store.url. */
@ExtendWith(TestPostgres.class)
class DoctorPostgresTest {
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path dir;

    /** A doctor run on a configuration whose {@code store.url} is {@code url}; asserts no password is shown. */
    private CliRun doctor(String url, String password) throws Exception {
        Path file = dir.resolve("doctor.yaml");
        Files.writeString(file, """
                store:
                  dataDir: %s
                  url: "%s"
                webhooks:
                  allowPrivateTargets: true
                """.formatted(dir.resolve("doctor-data"), url));
        CliRun r = CliRun.of(Map.of(), dir, "doctor", "--config", file.toString());
        if (!password.isEmpty())
            assertFalse(r.out().contains(password) || r.err().contains(password), "the password was shown:\n" + r);
        return r;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return closed.getLocalPort();
        }
    }

    private static List<String> tables(TestDatabase database) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() ORDER BY table_name")) {
            List<String> names = new java.util.ArrayList<>();
            while (r.next()) names.add(r.getString(1));
            return names;
        }
    }

    @Test
    void readsTheWebhooksAHubStoredInPostgresAndChecksThem(TestDatabase database) throws Exception {
        TestStore store = new TestStore("postgresql", dir, database);
        // A server that asks for no password (the throwaway one trusts loopback) is given one all the same, to look
        // for.
        String password = database.password().isEmpty() ? PASSWORD : database.password();
        String url = database.password().isEmpty() ? store.storeUrl() + "&password=" + PASSWORD : store.storeUrl();
        WireMockServer receiver =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        try (AdminHarness hub = AdminHarness.start(
                InstanceConfig.load(dir, "a", url, """
                        webhooks:
                          allowPrivateTargets: true
                        admin:
                          tokens:
                            - {token: %s, scopes: [admin.read, admin.write]}
                        """.formatted(AdminHarness.WRITE)), Clock.systemUTC())) {
            hub.ok("POST", "/api/v1/webhooks", Map.of("url", receiver.baseUrl() + "/events", "events", List.of("*")));
        }
        List<String> before = tables(database);

        CliRun r;
        try {
            r = doctor(url, password);
        } finally {
            receiver.stop();
        }

        assertEquals(0, r.exit(), r.toString());
        String address = store.url().address();
        assertTrue(
                r.out()
                        .contains("\nok   store: read 0 agent gateways and 1 webhooks from PostgreSQL at " + address
                                + "\n"),
                r.out());
        assertTrue(r.out().contains("\nok   webhook wh_"), r.out());
        assertEquals(before, tables(database), "no migration ran, no table was made");
        assertFalse(Files.exists(dir.resolve("doctor-data/hub.db")), "no SQLite database beside PostgreSQL");
    }

    @Test
    void aRefusedPasswordFailsTheStoreCheckNamingStoreUrlWithoutThePassword() throws Exception {
        try (PasswordRefusingServer server = new PasswordRefusingServer()) {
            CliRun r = doctor("postgresql://hub:" + PASSWORD + "@127.0.0.1:" + server.port() + "/hub", PASSWORD);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(
                    r.out()
                            .contains("\nFAIL store: store.url: PostgreSQL at 127.0.0.1:" + server.port()
                                    + "/hub refused the login of user hub: check the user and password in"
                                    + " store.url\n"),
                    r.out());
        }
    }

    @Test
    void anUnreachableServerFailsTheStoreCheckNamingStoreUrlWithoutThePassword() throws Exception {
        int port = closedPort();
        CliRun r = doctor("postgresql://hub:" + PASSWORD + "@127.0.0.1:" + port + "/hub", PASSWORD);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.out().contains("\nFAIL store: store.url: cannot reach PostgreSQL at 127.0.0.1:" + port + "/hub ("),
                r.out());
        assertTrue(
                r.out().contains(": is the server running, and are the host and port in store.url right?\n"), r.out());
    }

    @Test
    void aMissingDatabaseFailsTheStoreCheckNamingIt(TestDatabase database) throws Exception {
        String url = new TestStore("postgresql", dir, database)
                .storeUrl()
                .replace("/" + database.name() + "?", "/no_such_db?");
        CliRun r = doctor(url, database.password());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.out()
                        .contains(
                                "/no_such_db has no database no_such_db: create it (createdb no_such_db) or name another"
                                        + " in store.url\n"),
                r.out());
    }
}
