package io.connectorhub.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import io.connectorhub.core.ModuleState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each module's Flyway scripts in its own locations and history table, and the upgrade of a database written before
 * Flyway (one {@code schema_version} row per module). The modules {@code dialects} and {@code broken} live in this
 * module's test resources.
 */
class MigrationsTest {
    @TempDir
    Path dir;

    private final List<Store> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(Store::close);
    }

    private Store open() {
        Store store = Store.open(dir.resolve("hub.db"));
        open.add(store);
        return store;
    }

    private static List<String> tables(ModuleState state) {
        return state.read(h -> h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .mapTo(String.class)
                .list());
    }

    private static List<String> history(ModuleState state, String module) {
        return state.read(h -> h.createQuery("SELECT coalesce(version, '') || ':' || type FROM flyway_" + module
                        + "_history ORDER BY installed_rank")
                .mapTo(String.class)
                .list());
    }

    @Test
    void runsTheCommonScriptsAndThoseOfItsOwnDialectOnly() {
        ModuleState state = open().state("dialects");

        assertEquals("sqlite", state.dialect());
        List<String> tables = tables(state);
        assertTrue(tables.containsAll(List.of("dialects_common", "dialects_sqlite")), tables.toString());
        assertFalse(tables.contains("dialects_postgresql"), tables.toString());
        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(state, "dialects"));
    }

    @Test
    void keepsAHistoryTablePerModule() {
        Store store = open();
        store.state("dialects");

        assertEquals(List.of("1:SQL", "2:SQL", "3:SQL", "4:SQL", "5:SQL", "6:SQL", "7:SQL"), history(store, "core"));
        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(store, "dialects"));
    }

    @Test
    void aSecondStartRunsNothingAgain() {
        open().state("dialects");
        open.remove(0).close();

        Store again = open();
        assertSame(again, again.state("dialects"));
        assertSame(again, again.state("dialects"));
        assertEquals(List.of("1:SQL", "2:SQL", "3:SQL", "4:SQL", "5:SQL", "6:SQL", "7:SQL"), history(again, "core"));
        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(again, "dialects"));
    }

    @Test
    void aLaterStartWhoseHistoryHoldsEveryScriptLeavesFlywayOut() {
        open().state("dialects");
        open.remove(0).close();
        // Flyway itself would refuse this history at its validation (checksum mismatch); a start that finds every
        // script applied does not load Flyway, as scripts already applied are never changed.
        behindTheHubsBack("UPDATE flyway_dialects_history SET checksum = 1 WHERE version = '2'");

        Store again = open();
        again.state("dialects");

        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(again, "dialects"));
    }

    @Test
    void aLaterStartRunsAScriptItsHistoryLacks() {
        open().state("dialects");
        open.remove(0).close();
        behindTheHubsBack("DELETE FROM flyway_dialects_history WHERE version = '2'", "DROP TABLE dialects_sqlite");

        Store again = open();
        again.state("dialects");

        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(again, "dialects"));
        assertTrue(tables(again).contains("dialects_sqlite"), tables(again).toString());
    }

    /** Runs {@code statements} on the closed database file, as someone else than the hub would. */
    private void behindTheHubsBack(String... statements) {
        Jdbi.create("jdbc:sqlite:" + dir.resolve("hub.db")).useHandle(h -> {
            for (String statement : statements) h.execute(statement);
        });
    }

    @Test
    void aFailingScriptNamesItsModuleAndKeepsNothingOfIt() {
        Store store = open();

        HubException e = assertThrows(HubException.class, () -> store.state("broken"));

        assertTrue(e.getMessage().startsWith("migrating the tables of broken failed: "), e.getMessage());
        assertFalse(tables(store).contains("broken_ok"), "the failed script is rolled back whole");
        assertThrows(HubException.class, () -> store.state("broken"), "and it is tried again, not taken as done");
    }

    @Test
    void refusesAModuleNameThatIsNotAFolderName() {
        HubException e = assertThrows(HubException.class, () -> open().state("../core"));

        assertEquals("module name '../core' is not valid: use lower-case letters, digits and _", e.getMessage());
    }

    /** The layout the release before Flyway wrote: each module's script as it ran it, and its version in schema_version. */
    private void writeDatabaseBeforeFlyway() throws Exception {
        String core = script("db/core/sqlite/V1__inbox_sessions_messages_outbox.sql");
        String dialects = script("db/dialects/common/V1__common.sql");
        Jdbi.create("jdbc:sqlite:" + dir.resolve("hub.db")).useHandle(h -> {
            h.execute("CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            h.createScript(core).execute();
            h.execute("INSERT INTO schema_version VALUES ('core', 1)");
            h.execute("INSERT INTO sessions VALUES ('websocket:c1', 'websocket', 'c1', 2, 1, 2)");
            h.createScript(dialects).execute();
            h.execute("INSERT INTO schema_version VALUES ('dialects', 1)");
            h.execute("INSERT INTO dialects_common VALUES (1, 'kept')");
        });
    }

    private static String script(String resource) throws Exception {
        try (InputStream in = MigrationsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void baselinesEachModuleOfAnOldDatabaseAtItsRecordedVersionThenRunsTheNewerScripts() throws Exception {
        writeDatabaseBeforeFlyway();

        Store store = open();
        store.state("dialects");

        assertEquals(
                List.of("1:BASELINE", "2:SQL", "3:SQL", "4:SQL", "5:SQL", "6:SQL", "7:SQL"),
                history(store, "core"),
                "V1 ran before: not again");
        assertEquals(List.of("1:BASELINE", "2:SQL"), history(store, "dialects"), "V1 ran before: not again");
        assertEquals(
                List.of("kept"),
                store.read(h -> h.createQuery("SELECT note FROM dialects_common")
                        .mapTo(String.class)
                        .list()));
        assertEquals(
                List.of("websocket:c1"),
                store.read(h -> h.createQuery("SELECT session_key FROM sessions")
                        .mapTo(String.class)
                        .list()));
        assertTrue(tables(store).contains("dialects_sqlite"));
    }

    @Test
    void aModuleTheOldDatabaseNeverHadStartsFromItsFirstScript() throws Exception {
        writeDatabaseBeforeFlyway();
        Jdbi.create("jdbc:sqlite:" + dir.resolve("hub.db")).useHandle(h -> {
            h.execute("DROP TABLE dialects_common");
            h.execute("DELETE FROM schema_version WHERE component = 'dialects'");
        });

        Store store = open();
        store.state("dialects");

        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL"), history(store, "dialects"));
    }

    @Test
    void leavesTheOldVersionTableAsItWas() throws Exception {
        writeDatabaseBeforeFlyway();

        Store store = open();
        store.state("dialects");

        assertEquals(
                List.of("core:1", "dialects:1"),
                store.read(
                        h -> h.createQuery("SELECT component || ':' || version FROM schema_version ORDER BY component")
                                .mapTo(String.class)
                                .list()));
    }
}
