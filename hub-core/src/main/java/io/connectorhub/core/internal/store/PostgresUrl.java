package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

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
    private static final String ESCAPE = "%-escape the reserved characters of the user name and password"
            + " (@ as %40, : as %3A, / as %2F, # as %23)";

    /** Whether {@code url} is meant for PostgreSQL at all (by its scheme), so a typo is not taken for SQLite. */
    public static boolean isPostgres(String url) {
        return url.startsWith("postgresql:") || url.startsWith("postgres:") || url.startsWith("jdbc:postgresql:");
    }

    /** Parses {@code url}; {@code setting} names it in errors (e.g. {@code store.url}). */
    public static PostgresUrl parse(String url, String setting) {
        String plain = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        if (!plain.startsWith("postgresql:") && !plain.startsWith("postgres:"))
            throw invalid(setting, "it does not start with postgresql://");
        URI uri;
        try {
            uri = new URI(plain);
        } catch (URISyntaxException e) {
            throw invalid(setting, plain, "it is not a valid URL");
        }
        if (uri.getRawFragment() != null) throw invalid(setting, plain, "it holds a #");
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            String hostAndPort = uri.getRawAuthority() == null
                    ? ""
                    : uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
            if (hostAndPort.matches("[^:\\[\\]]+:.*|\\[.*\\]:.*") && !hostAndPort.matches(".*:\\d*"))
                throw invalid(setting, plain, "its port is not a number");
            throw invalid(setting, plain, "it names no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) throw invalid(setting, "its port is not between 1 and 65535");
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (database.isEmpty() || database.contains("/")) throw invalid(setting, plain, "it names no database");
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

    /** As {@link #invalid(String, String)}, with the hint to escape when {@code url}'s user part looks unescaped. */
    private static HubException invalid(String setting, String url, String why) {
        String rest = url.substring(url.indexOf("//") < 0 ? 0 : url.indexOf("//") + 2);
        int at = rest.indexOf('@');
        int end = firstOf(rest, "/?#");
        boolean unescaped = at >= 0 && (rest.indexOf('@', at + 1) >= 0 || (end >= 0 && end < at) || rest.contains("#"));
        if (!unescaped) return invalid(setting, why);
        return new HubException(setting + " is not a PostgreSQL URL (" + why + "): " + ESCAPE);
    }

    private static int firstOf(String text, String characters) {
        int first = -1;
        for (char c : characters.toCharArray()) {
            int i = text.indexOf(c);
            if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        return first;
    }

    /** The names of the query parameters that go to the driver ({@code sslmode}, …), in the URL's order. */
    public List<String> parameters() {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) return List.of();
        List<String> names = new ArrayList<>();
        for (String pair : jdbcUrl.substring(query + 1).split("&")) names.add(pair.split("=", 2)[0]);
        return names;
    }

    private static String decode(String text) {
        // percent-decoding only: a + in a password is a +
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The driver's connection properties with this URL's user and password, for the caller to add its own to. */
    public Properties login() {
        Properties login = new Properties();
        if (user != null) login.setProperty("user", user);
        if (password != null) login.setProperty("password", password);
        return login;
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
