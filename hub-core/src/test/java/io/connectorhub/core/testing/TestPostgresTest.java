package io.connectorhub.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

@ExtendWith(TestPostgres.class)
class TestPostgresTest {

    @Test
    void givesEachParameterItsOwnEmptyDatabase(TestDatabase first, TestDatabase second) throws SQLException {
        assertNotEquals(first.name(), second.name());
        try (Connection connection = first.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (text TEXT)");
            statement.execute("INSERT INTO note VALUES ('kept')");
            assertEquals(first.name(), single(statement, "SELECT current_database()"));
        }
        try (Connection connection = second.connect();
                Statement statement = connection.createStatement()) {
            assertEquals(second.name(), single(statement, "SELECT current_database()"));
            assertEquals("0", single(statement, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }

    @Test
    void cutsConnectionsWhenStoppedAndKeepsTheDataAcrossARestart(TestDatabase database, PostgresServer server)
            throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (text TEXT)");
            statement.execute("INSERT INTO note VALUES ('survives')");
            server.stop();
            assertThrows(SQLException.class, () -> single(statement, "SELECT 1"));
        }
        assertThrows(SQLException.class, database::connect);
        server.start();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            assertEquals("survives", single(statement, "SELECT text FROM note"));
        }
    }

    @Test
    void createsDatabasesOnTheServerAUrlNames(TestDatabase database) throws SQLException {
        String userInfo = database.user() + ":" + URLEncoder.encode(database.password(), StandardCharsets.UTF_8);
        String url = database.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + userInfo + "@");
        PostgresServer named = PostgresServer.fromUrl(url);
        TestDatabase created = named.createDatabase();
        try (Connection connection = created.connect();
                Statement statement = connection.createStatement()) {
            assertEquals(created.name(), single(statement, "SELECT current_database()"));
        }
        named.dropDatabase(created);
        assertThrows(SQLException.class, created::connect);
        assertThrows(TestAbortedException.class, named::stop);
    }

    @Test
    void readsUserPasswordHostPortDatabaseAndParametersFromEitherUrlForm() {
        TestDatabase libpq = PostgresServer.fromUrl("postgresql://alice:s%40cret@db.test:6543/hub?sslmode=disable")
                .admin();
        assertEquals("jdbc:postgresql://db.test:6543/hub?sslmode=disable", libpq.jdbcUrl());
        assertEquals("alice", libpq.user());
        assertEquals("s@cret", libpq.password());
        assertFalse(libpq.toString().contains("s@cret"));

        TestDatabase jdbc = PostgresServer.fromUrl("jdbc:postgresql://127.0.0.1/?user=bob&password=pw&ssl=false")
                .admin();
        assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres?ssl=false", jdbc.jdbcUrl());
        assertEquals("bob", jdbc.user());
        assertEquals("pw", jdbc.password());
    }

    @Test
    void refusesAUrlThatIsNotPostgresWithoutEchoingIt() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> PostgresServer.fromUrl("mysql://root:hunter2@db.test/hub"));
        assertTrue(error.getMessage().startsWith("HUB_TEST_PG_URL is not a PostgreSQL URL"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"));
    }

    @Test
    void takesTheNewestServerOfVersion14OrNewer(@TempDir Path root) throws Exception {
        for (String version : List.of("13", "15", "16", "17")) {
            Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
            for (String tool : version.equals("17") ? List.of("psql") : List.of("initdb", "pg_ctl", "postgres")) {
                Files.createFile(bin.resolve(tool)).toFile().setExecutable(true);
            }
        }
        assertEquals(root.resolve("16/bin"), LocalCluster.binaries(root));
    }

    @Test
    void namesWhatIsMissingWhenThereIsNoServer(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("13/bin"));
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> LocalCluster.binaries(root));
        assertEquals(
                "PostgreSQL 14 or newer is missing: no " + root + "/<version>/bin with initdb, pg_ctl and postgres."
                        + " Install it with build/test-services ensure (as root; ./hub test runs it), or set"
                        + " HUB_TEST_PG_URL=postgresql://user:password@host:port/database to use a running server",
                error.getMessage());
        assertThrows(IllegalStateException.class, () -> LocalCluster.binaries(root.resolve("absent")));
    }

    @Test
    void removesLeftoversOfDeadJvmsAndKeepsThoseOfLiveOnes(@TempDir Path temp) throws Exception {
        Path dead = Files.createDirectories(temp.resolve("hub-test-pg-999999999-1-42/data"));
        Path live = Files.createDirectory(
                temp.resolve("hub-test-pg-" + LocalCluster.ownerTag(ProcessHandle.current()) + "-42"));
        LocalCluster.removeLeftovers(temp, Path.of("/nonexistent"), List.of());
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            assertTrue(result.next());
            return result.getString(1);
        }
    }
}
