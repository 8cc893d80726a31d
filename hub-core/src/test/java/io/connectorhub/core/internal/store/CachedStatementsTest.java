package io.connectorhub.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedStatementsTest {
    private static final String BY_KEY = "SELECT v FROM t WHERE k = :k";

    @TempDir
    Path dir;

    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("hub.db"));
        store.write(h -> {
            h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            for (int k = 1; k <= 3; k++) h.execute("INSERT INTO t (k, v) VALUES (?, ?)", k, "v" + k);
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private record Row(String value, Statement statement) {}

    private static Row byKey(Handle h, int k) {
        return h.createQuery(BY_KEY)
                .bind("k", k)
                .map((rs, ctx) -> new Row(rs.getString(1), ctx.getStatement()))
                .one();
    }

    @Test
    void reusesTheStatementOfTheSameSqlWithTheNewArguments() {
        store.read(h -> {
            Row first = byKey(h, 1);
            Row second = byKey(h, 2);
            assertEquals("v1", first.value());
            assertEquals("v2", second.value());
            assertSame(first.statement(), second.statement());
            return null;
        });
    }

    @Test
    void givesAStatementThatRunsWhileTheSameSqlIsOpenItsOwn() {
        List<String> pairs = new ArrayList<>();
        store.read(h -> {
            h.createQuery("SELECT k, v FROM t ORDER BY k")
                    .map((rs, ctx) -> {
                        Row inner = byKey(h, 4 - rs.getInt(1));
                        assertNotSame(ctx.getStatement(), inner.statement());
                        pairs.add(rs.getString(2) + "/" + inner.value());
                        return null;
                    })
                    .list();
            return null;
        });
        assertEquals(List.of("v1/v3", "v2/v2", "v3/v1"), pairs);
    }

    @Test
    void aStatementThatFailedWorksAgainWithOtherArguments() {
        String insert = "INSERT INTO t (k, v) VALUES (:k, :v)";
        assertThrows(
                UnableToExecuteStatementException.class,
                () -> store.write(h ->
                        h.createUpdate(insert).bind("k", 1).bind("v", "again").execute()));
        int inserted = store.write(
                h -> h.createUpdate(insert).bind("k", 4).bind("v", "v4").execute());
        assertEquals(1, inserted);
        assertEquals("v4", store.read(h -> byKey(h, 4).value()));
        assertEquals("v1", store.read(h -> byKey(h, 1).value()));
    }

    @Test
    void aStatementThatLeftRowsUnreadDoesNotKeepItsTransactionOpen() {
        for (int i = 0; i < 3; i++) {
            // The pool lends the connection returned last, so the write below runs where the PRAGMA ran.
            store.read(h -> h.execute("PRAGMA wal_checkpoint(PASSIVE)"));
            int k = 10 + i;
            store.write(h -> h.execute("INSERT INTO t (k, v) VALUES (?, ?)", k, "v" + k));
        }
        assertEquals("v12", store.read(h -> byKey(h, 12).value()));
    }
}
