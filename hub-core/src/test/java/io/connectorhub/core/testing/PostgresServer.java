package io.connectorhub.core.testing;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of this JVM's tests: the one {@code HUB_TEST_PG_URL} names, else a throwaway cluster (see
 * {@link LocalCluster}) that is stopped and deleted when the JVM exits. Thread-safe.
 */
public final class PostgresServer {
    static final String URL_VARIABLE = "HUB_TEST_PG_URL";

    private final String urlPrefix;
    private final String urlQuery;
    private final TestDatabase admin;
    private final LocalCluster cluster; // null for a server HUB_TEST_PG_URL names

    private PostgresServer(
            String hostAndPort, String query, String database, String user, String password, LocalCluster cluster) {
        this.urlPrefix = "jdbc:postgresql://" + hostAndPort + "/";
        this.urlQuery = query.isEmpty() ? "" : "?" + query;
        this.admin = database(database, user, password);
        this.cluster = cluster;
    }

    /** The server {@code HUB_TEST_PG_URL} names in {@code env}, else a throwaway cluster started now. */
    public static PostgresServer fromEnvironment(Map<String, String> env) {
        String url = env.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return fromUrl(url);
        }
        LocalCluster cluster = LocalCluster.start(Path.of(System.getProperty("java.io.tmpdir")));
        return new PostgresServer("127.0.0.1:" + cluster.port(), "", "postgres", LocalCluster.SUPERUSER, "", cluster);
    }

    /**
     * The server at {@code url}, {@code postgresql://user:password@host:port/database} or {@code
     * jdbc:postgresql://host:port/database?user=...&password=...}; other query parameters go into every database's
     * URL. The user needs the right to create databases.
     */
    static PostgresServer fromUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        } catch (URISyntaxException e) {
            throw invalidUrl();
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw invalidUrl();
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length > 1 ? decode(userInfo[1]) : "";
        }
        List<String> query = new ArrayList<>();
        for (String pair :
                uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            String[] keyValue = pair.split("=", 2);
            String value = keyValue.length > 1 ? decode(keyValue[1]) : "";
            switch (keyValue[0]) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> query.add(pair);
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String hostAndPort = uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
        return new PostgresServer(
                hostAndPort, String.join("&", query), path.isEmpty() ? "postgres" : path, user, password, null);
    }

    private static IllegalArgumentException invalidUrl() {
        // The URL itself stays out of the message: it may hold a password.
        return new IllegalArgumentException(URL_VARIABLE + " is not a PostgreSQL URL: set it to"
                + " postgresql://user:password@host:port/database (or jdbc:postgresql://...), or unset it to let the"
                + " tests start a server of their own");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private TestDatabase database(String name, String user, String password) {
        return new TestDatabase(urlPrefix + name + urlQuery, name, user, password);
    }

    /** The database to connect to for administration ({@code postgres} unless the URL names another). */
    TestDatabase admin() {
        return admin;
    }

    /** Creates an empty database under a name no other test uses; starts the server first if a test stopped it. */
    public TestDatabase createDatabase() {
        String name = "hub_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + name);
        return database(name, admin.user(), admin.password());
    }

    /** Drops {@code database}, cutting its open connections; starts the server first if a test stopped it. */
    public void dropDatabase(TestDatabase database) {
        execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
    }

    private void execute(String sql) {
        start();
        try (Connection connection = admin.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + admin + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server process (open connections are cut) until {@link #start()}. A server {@code HUB_TEST_PG_URL}
     * names is not this JVM's to stop: then the calling test is aborted (reported as skipped, with the reason).
     */
    public void stop() {
        if (cluster == null) {
            Assumptions.abort("cannot stop the PostgreSQL server that " + URL_VARIABLE + " names: unset " + URL_VARIABLE
                    + " to run this test on a throwaway server");
        }
        cluster.stop();
    }

    /** Starts the stopped server again on the same port with the same databases; does nothing when it runs. */
    public void start() {
        if (cluster != null) {
            cluster.start();
        }
    }
}
