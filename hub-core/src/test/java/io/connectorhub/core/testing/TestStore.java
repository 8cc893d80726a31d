package io.connectorhub.core.testing;

import io.connectorhub.core.internal.store.PostgresStore;
import io.connectorhub.core.internal.store.PostgresUrl;
import io.connectorhub.core.internal.store.Store;
import java.net.URI;
import java.nio.file.Path;

/**
 * The database of a test that runs on both stores: SQLite ({@code hub.db} in {@code dir}) or PostgreSQL ({@code
 * database}, from {@link TestPostgres}). Run a test class on both with
 * {@code @ParameterizedClass @ValueSource(strings = {"sqlite", "postgresql"})} and {@code @ExtendWith(TestPostgres.class)}.
 * {@link #open()} opens a store on the same database each time (a restart); the caller closes it.
 */
public record TestStore(String dialect, Path dir, TestDatabase database) {
    public TestStore {
        if (!dialect.equals("sqlite") && !dialect.equals("postgresql"))
            throw new IllegalArgumentException("dialect is sqlite or postgresql, not " + dialect);
    }

    /** A new store on this test's database. */
    public Store open() {
        return dialect.equals("sqlite") ? Store.open(dir.resolve("hub.db")) : PostgresStore.open(url(), 4, "store.url");
    }

    /** The PostgreSQL address (null for SQLite). */
    public PostgresUrl url() {
        if (dialect.equals("sqlite")) return null;
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        String password = database.password().isEmpty() ? null : database.password();
        return new PostgresUrl(
                database.jdbcUrl(), uri.getHost(), uri.getPort(), database.name(), database.user(), password);
    }

    /** {@code store.url} for a hub on this database, the user and password in it; null for SQLite. */
    public String storeUrl() {
        if (dialect.equals("sqlite")) return null;
        String url = database.jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "user=" + database.user()
                + (database.password().isEmpty() ? "" : "&password=" + database.password());
    }
}
