package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a module's tables up to date with Flyway. A module's scripts are {@code V<n>__<what>.sql} on the class path
 * under {@code db/<module>/common} (for every database) and {@code db/<module>/<dialect>} (where SQLite and PostgreSQL
 * differ); each module has its own history table, {@code flyway_<module>_history}, so modules migrate independently.
 *
 * <p>Databases written before Flyway kept one version per module in {@code schema_version(component, version)}. A
 * module that has no history table yet is baselined at the version recorded there for it (0 when there is none), so
 * the scripts it ran already are not run again; then its newer scripts run. {@code schema_version} is left as it is and
 * no longer written: a module not started at the upgrade (a channel that was off) is baselined from it when it first
 * starts. Thread-safe as far as Flyway is; the store runs one migration at a time.
 */
final class Migrations {
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final String LEGACY_TABLE = "schema_version";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/]+\\.sql");

    private final DataSource dataSource;
    private final String dialect;
    private final ClassLoader classLoader;

    Migrations(DataSource dataSource, String dialect, ClassLoader classLoader) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.classLoader = classLoader;
    }

    /**
     * What one migration did.
     *
     * @param version the module's version after it, or null when the module has no scripts
     * @param baselinedFrom the version {@code schema_version} recorded, when the module was baselined from it, else null
     */
    record Outcome(String version, int scriptsRun, Integer baselinedFrom) {
        private static final Logger log = LoggerFactory.getLogger(Migrations.class);

        /** Logs what ran, one line each: {@code Store hub.db: migrated telegram to version 2}; nothing if nothing ran. */
        void log(String store, String module) {
            if (baselinedFrom != null)
                log.info(
                        "Store {}: {} was at version {} before Flyway; recorded as its baseline",
                        store,
                        module,
                        baselinedFrom);
            if (scriptsRun > 0) log.info("Store {}: migrated {} to version {}", store, module, version);
        }
    }

    /** Runs {@code module}'s scripts that have not run; throws {@link HubException} naming the module if one fails. */
    Outcome migrate(String module) {
        if (!MODULE.matcher(module).matches())
            throw new HubException("module name '" + module + "' is not valid: use lower-case letters, digits and _");
        List<String> locations = new ArrayList<>();
        for (String folder : List.of("common", dialect)) {
            String path = "db/" + module + "/" + folder;
            if (classLoader.getResource(path) != null) locations.add("classpath:" + path);
        }
        if (locations.isEmpty()) return new Outcome(null, 0, null);
        String table = historyTable(module);
        try {
            Integer legacy = null;
            try (Connection c = dataSource.getConnection()) {
                if (!tableExists(c, table)) legacy = legacyVersion(c, module);
                else {
                    String current = currentVersion(c, table, locations);
                    if (current != null) return new Outcome(current, 0, null);
                }
            }
            MigrateResult result = Flyway.configure(classLoader)
                    .dataSource(dataSource)
                    .locations(locations.toArray(String[]::new))
                    .table(table)
                    // A database that holds other modules' tables (or this one's, recorded in schema_version) is not
                    // empty: Flyway then starts this module's history at the version it already has.
                    .baselineOnMigrate(true)
                    .baselineVersion(String.valueOf(legacy == null ? 0 : legacy))
                    .baselineDescription(
                            legacy == null ? "<< before the first script >>" : "<< " + LEGACY_TABLE + " >>")
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            return new Outcome(
                    result.targetSchemaVersion,
                    result.migrationsExecuted,
                    legacy != null && legacy > 0 ? legacy : null);
        } catch (FlywayException | SQLException e) {
            throw new HubException("migrating the tables of " + module + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The module's newest applied version when its history holds every script of {@code locations}, so that a later
     * start need not load Flyway (half a second of CPU per start); null when a script is missing from the history or
     * the scripts cannot be listed without Flyway (a location outside a folder or jar, a file that is not a versioned
     * script): Flyway then decides. Scripts applied are never changed, so Flyway's checksum validation is not missed.
     */
    private String currentVersion(Connection c, String table, List<String> locations) throws SQLException {
        Set<String> scripts = new HashSet<>();
        for (String location : locations) {
            List<String> names = ScriptFolder.names(classLoader, location.substring("classpath:".length()));
            if (names == null) return null;
            for (String name : names) {
                Matcher m = VERSIONED.matcher(name);
                if (!m.matches()) return null;
                scripts.add(m.group(1).replace('_', '.'));
            }
        }
        Set<String> applied = new HashSet<>();
        String newest = null;
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM " + table
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank");
                ResultSet r = s.executeQuery()) {
            while (r.next()) applied.add(newest = r.getString(1));
        }
        return applied.containsAll(scripts) ? newest : null;
    }

    private static String historyTable(String module) {
        return "flyway_" + module + "_history";
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet r = meta.getTables(null, null, table, new String[] {"TABLE"})) {
            return r.next();
        }
    }

    /** The version {@code schema_version} records for {@code module}, or null. */
    private static Integer legacyVersion(Connection c, String module) throws SQLException {
        if (!tableExists(c, LEGACY_TABLE)) return null;
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
            s.setString(1, module);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : null;
            }
        }
    }
}
