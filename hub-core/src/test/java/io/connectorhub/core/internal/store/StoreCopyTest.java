package io.connectorhub.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreCopy} with tables that reference each other, and a copy that fails halfway. */
@ExtendWith(TestPostgres.class)
class StoreCopyTest {
    private static final String SECRET = "whsec-never-printed-4711";
    private static final List<String> TABLES = List.of("zz_owners", "aa_keys", "mm_uses");

    @TempDir
    Path dir;

    private static Store filled(Store store, Object born) {
        store.state("copyorder");
        store.write(h -> {
            h.execute("INSERT INTO zz_owners (id, secret, born) VALUES ('o1', ?, 1)", SECRET + "-1");
            h.execute("INSERT INTO aa_keys (id, owner_id) VALUES ('k1', 'o1')");
            h.execute("INSERT INTO mm_uses (key_id, at) VALUES ('k1', 5)");
            h.execute("INSERT INTO zz_owners (id, secret, born) VALUES ('o2', ?, ?)", SECRET, born);
            return h.execute("INSERT INTO aa_keys (id, owner_id) VALUES ('k2', 'o2')");
        });
        return store;
    }

    private static long rows(Store store) {
        long rows = 0;
        for (String table : TABLES)
            rows += store.read(h -> h.createQuery("SELECT count(*) FROM " + table)
                    .mapTo(Long.class)
                    .one());
        return rows;
    }

    @Test
    void copiesTablesAfterTheTablesTheirForeignKeysNameBothWays(TestDatabase postgres) {
        try (Store sqlite = filled(Store.open(dir.resolve("hub.db")), 2);
                Store pg = new TestStore("postgresql", dir, postgres).open();
                Store back = Store.open(dir.resolve("back.db"))) {
            Map<String, Long> copied = new StoreCopy(sqlite, pg).run((table, n) -> {});
            assertEquals(
                    List.of("zz_owners=2", "aa_keys=2", "mm_uses=1"),
                    copied.entrySet().stream()
                            .filter(e -> TABLES.contains(e.getKey()))
                            .map(String::valueOf)
                            .toList());
            assertEquals(5, rows(pg));
            new StoreCopy(pg, back).run((table, n) -> {});
            assertEquals(5, rows(back));
        }
    }

    @Test
    void aFailedCopyNamesTheTableButNoValueAndLeavesTheTargetAsItWas(TestDatabase postgres) {
        // SQLite keeps text in a BIGINT column; PostgreSQL refuses it, at the second row of zz_owners
        try (Store sqlite = filled(Store.open(dir.resolve("hub.db")), "not a number");
                Store pg = new TestStore("postgresql", dir, postgres).open()) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                HubException e = assertThrows(HubException.class, () -> new StoreCopy(sqlite, pg).run((t, n) -> {}));
                String message = e.getMessage();
                assertTrue(message.startsWith("copying table zz_owners from hub.db to postgresql"), message);
                assertTrue(message.contains("SQL state 42804"), message);
                assertTrue(message.endsWith("the target is left without rows, as it was"), message);
                assertFalse(message.contains(SECRET), message);
                assertFalse(message.contains("\n"), message);
                for (Throwable t = e; t != null; t = t.getCause())
                    assertFalse(String.valueOf(t.getMessage()).contains(SECRET), String.valueOf(t.getMessage()));
                pg.state("copyorder");
                assertEquals(0, rows(pg), "attempt " + attempt);
            }
        }
    }
}
