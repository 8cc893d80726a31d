package io.connectorhub.core.internal.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.testing.LogCapture;
import io.connectorhub.core.testing.MutableClock;
import io.connectorhub.core.testing.PasswordRefusingServer;
import io.connectorhub.core.testing.PostgresServer;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What only the PostgreSQL store does: start-up errors that name store.url without the password, outages. */
@ExtendWith(TestPostgres.class)
class PostgresStoreTest {
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path dir;

    private static String startupError(String url) {
        try (LogCapture logs = new LogCapture()) {
            HubException e = assertThrows(
                    HubException.class, () -> PostgresStore.open(PostgresUrl.parse(url, "store.url"), 2, "store.url"));
            String message = e.getMessage();
            assertFalse(message.contains(PASSWORD), message);
            assertFalse(message.contains("\n"), "one line: " + message);
            for (String line : logs.messages()) assertFalse(line.contains(PASSWORD), line);
            assertEquals(
                    List.of(), logs.warningsAndStackTraces(), "the error is the one line, not a logged stack trace");
            return message;
        }
    }

    @Test
    void refusesAUrlThatIsNotPostgresNamingTheSettingButNotTheUrl() {
        HubException e = assertThrows(
                HubException.class,
                () -> PostgresUrl.parse("postgresql://hub:" + PASSWORD + "@db.example", "store.url"));
        assertEquals(
                "store.url is not a PostgreSQL URL (it names no database): write"
                        + " postgresql://user:password@host:5432/database (or jdbc:postgresql://…)",
                e.getMessage());
    }

    private static String urlError(String url) {
        HubException e = assertThrows(HubException.class, () -> PostgresUrl.parse(url, "store.url"));
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aPortThatIsNotANumberIsCalledSoRatherThanAMissingHost() {
        assertEquals(
                "store.url is not a PostgreSQL URL (its port is not a number): write"
                        + " postgresql://user:password@host:5432/database (or jdbc:postgresql://…)",
                urlError("postgresql://hub:" + PASSWORD + "@127.0.0.1:notaport/hub2"));
    }

    @Test
    void aPasswordWithUnescapedReservedCharactersGetsTheHintToEscapeThem() {
        String hint = "%-escape the reserved characters of the user name and password"
                + " (@ as %40, : as %3A, / as %2F, # as %23)";
        String message = urlError("postgresql://hub:p@ss:w/rd#1@127.0.0.1:5432/hub2");
        assertTrue(message.startsWith("store.url is not a PostgreSQL URL ("), message);
        assertTrue(message.endsWith(hint), message);
        assertFalse(message.contains("rd#1"), message);
        assertTrue(urlError("postgresql://hub:pa/ss@127.0.0.1:5432/hub2").endsWith(hint));
        assertTrue(urlError("postgresql://h@b:" + PASSWORD + "@127.0.0.1/hub2").endsWith(hint));
    }

    @Test
    void aPortOutsideOneTo65535IsRefusedBeforeTheDriverSeesIt() {
        String expected = "store.url is not a PostgreSQL URL (its port is not between 1 and 65535): write"
                + " postgresql://user:password@host:5432/database (or jdbc:postgresql://…)";
        assertEquals(expected, urlError("postgresql://hub:" + PASSWORD + "@127.0.0.1:99999/hub2"));
        assertEquals(expected, urlError("jdbc:postgresql://127.0.0.1:0/hub2?password=" + PASSWORD));
    }

    @Test
    void aParameterTheDriverRefusesIsNamedRatherThanBlamingTheServer() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String message =
                startupError("postgresql://hub:" + PASSWORD + "@127.0.0.1:" + port + "/hub?sslmode=bogus&ssl=true");
        assertTrue(message.startsWith("store.url: the PostgreSQL driver refused the parameter sslmode ("), message);
        assertTrue(message.endsWith("): correct or remove it in store.url"), message);
        assertFalse(message.contains("is the server running"), message);
    }

    @Test
    void translatesTheUrlMostToolsWriteForTheDriver() {
        PostgresUrl url = PostgresUrl.parse("postgresql://hub:p%40ss+word@db.example:6543/hub?sslmode=require", "x");
        assertEquals("jdbc:postgresql://db.example:6543/hub?sslmode=require", url.jdbcUrl());
        assertEquals("hub", url.user());
        assertEquals("p@ss+word", url.password());
        PostgresUrl jdbc = PostgresUrl.parse("jdbc:postgresql://db.example/hub?user=hub&password=pw&ssl=true", "x");
        assertEquals("jdbc:postgresql://db.example:5432/hub?ssl=true", jdbc.jdbcUrl());
        assertEquals("pw", jdbc.password());
        assertFalse(jdbc.toString().contains("pw"));
    }

    @Test
    void aWrongPasswordFailsTheStartInOneLineWithoutThePassword() throws Exception {
        try (PasswordRefusingServer server = new PasswordRefusingServer()) {
            String message = startupError("postgresql://hub:" + PASSWORD + "@127.0.0.1:" + server.port() + "/hub");
            assertEquals(
                    "store.url: PostgreSQL at 127.0.0.1:" + server.port() + "/hub refused the login of user hub:"
                            + " check the user and password in store.url",
                    message);
        }
    }

    @Test
    void anUnreachableServerFailsTheStartInOneLineWithoutThePassword() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String message = startupError("postgresql://hub:" + PASSWORD + "@127.0.0.1:" + port + "/hub");
        assertTrue(message.startsWith("store.url: cannot reach PostgreSQL at 127.0.0.1:" + port + "/hub"), message);
        assertTrue(message.endsWith("is the server running, and are the host and port in store.url right?"), message);
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamed(TestDatabase database) {
        TestStore existing = new TestStore("postgresql", dir, database);
        PostgresUrl url = existing.url();
        String jdbc = url.jdbcUrl().replace("/" + database.name(), "/no_such_db");
        String message =
                startupError(jdbc + (jdbc.contains("?") ? "&" : "?") + "user=" + url.user() + "&password=" + PASSWORD);
        assertTrue(message.contains("has no database no_such_db: create it (createdb no_such_db)"), message);
    }

    @Test
    void aWriteWaitsOutAShortOutageOfTheServerAndLosesNothing(TestDatabase database, PostgresServer server)
            throws Exception {
        try (Store store = new TestStore("postgresql", dir, database).open()) {
            MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
            StoreInbox inbox = new StoreInbox(store, "instance-a", clock);
            inbox.admit(message("before"));

            server.stop();
            CompletableFuture<Boolean> during = CompletableFuture.supplyAsync(
                    () -> inbox.admit(message("during")).duplicate());
            // a few seconds of outage, during which the write waits rather than fails
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !during.isDone());
            server.start();

            assertFalse(during.get(PostgresStore.RETRY_FOR.toSeconds(), TimeUnit.SECONDS));
            assertEquals(
                    List.of("before", "during"),
                    inbox.unfinished(Duration.ZERO, 10).stream()
                            .map(InboundMessage::id)
                            .toList());
        }
    }

    private static InboundMessage message(String id) {
        return InboundMessage.builder("websocket", id)
                .sender("u")
                .chat("c")
                .content(id)
                .build();
    }
}
