package io.connectorhub.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One test's PostgreSQL database: its JDBC URL, its name, and the user and password (empty when none) to connect
 * with. {@link #toString()} leaves the password out.
 */
public record TestDatabase(String jdbcUrl, String name, String user, String password) {

    /** Opens a new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + ", user " + user + "]";
    }
}
