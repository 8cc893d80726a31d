package io.connectorhub.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real PostgreSQL server: with {@code @ExtendWith(TestPostgres.class)}, each parameter of type {@link
 * TestDatabase} is a fresh empty database, dropped when its test (or its class, for {@code @BeforeAll}) ends, and a
 * parameter of type {@link PostgresServer} is the server itself, to stop and start it again.
 *
 * <p>The server is the one {@code HUB_TEST_PG_URL} names ({@code postgresql://user:password@host:port/database} or
 * {@code jdbc:postgresql://...}), else one throwaway cluster per JVM that this extension starts on loopback (see
 * {@link PostgresServer}). Other modules use it through hub-core's test-jar and need {@code org.postgresql:postgresql}
 * as a test dependency of their own.
 */
public final class TestPostgres implements ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(TestPostgres.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresServer server = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        PostgresServer.class,
                        key -> PostgresServer.fromEnvironment(System.getenv()),
                        PostgresServer.class);
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return server;
        }
        TestDatabase database = server.createDatabase();
        context.getStore(NAMESPACE).put(database.name(), (AutoCloseable) () -> server.dropDatabase(database));
        return database;
    }
}
