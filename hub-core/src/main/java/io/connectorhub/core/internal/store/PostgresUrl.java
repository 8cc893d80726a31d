package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL address as {@code store.url} gives it, {@code postgresql://user:password@host:5432/database?params}
 * (also {@code postgres://}) or {@code jdbc:postgresql://host:5432/database?user=…&password=…}, split into the JDBC
 * URL without credentials and the user and password. {@link #toString()} and every error leave the password out.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database?params}, without user and password
 * @param user the user, null when the URL names none (the driver then uses the OS user)
 * @param password the password, null when the URL has none
 */
public record PostgresUrl(String jdbcUrl, String host, int port, String database, String user, String password) {
    private static final String FIX = "write postgresql://user:password@host:5432/database (or jdbc:postgresql://…)";

    /** Whether {@code url} is meant for PostgreSQL at all (by its scheme), so a typo is not taken for SQLite. */
    public static boolean isPostgres(String url) {
        return url.startsWith("postgresql:") || url.startsWith("postgres:") || url.startsWith("jdbc:postgresql:");
    }

    /** Parses {@code url}; {@code setting} names it in errors (e.g. {@code store.url}). */
    public static PostgresUrl parse(String url, String setting) {
        String plain = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        URI uri;
        try {
            uri = new URI(plain);
        } catch (URISyntaxException e) {
            throw invalid(setting, "it is not a valid URL");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()))
            throw invalid(setting, "it does not start with postgresql://");
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw invalid(setting, "it names no host");
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (database.isEmpty() || database.contains("/")) throw invalid(setting, "it names no database");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length > 1 ? decode(userInfo[1]) : null;
        }
        List<String> params = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                String[] kv = pair.split("=", 2);
                String value = kv.length > 1 ? decode(kv[1]) : "";
                switch (kv[0]) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> params.add(pair);
                }
            }
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String host = uri.getHost();
        String jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/"
                + uri.getRawPath().substring(1) + (params.isEmpty() ? "" : "?" + String.join("&", params));
        return new PostgresUrl(jdbcUrl, host, port, database, user, password);
    }

    private static HubException invalid(String setting, String why) {
        // The URL stays out of the message: it may hold a password.
        return new HubException(setting + " is not a PostgreSQL URL (" + why + "): " + FIX);
    }

    private static String decode(String text) {
        // percent-decoding only: a + in a password is a +
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code host:port/database}, for log lines. */
    public String address() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + jdbcUrl + ", user " + user + "]";
    }
}
