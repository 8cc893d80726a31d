package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.sqlite.SQLiteException;

/**
 * Copies every module's rows from one {@link Store} into another, SQLite or PostgreSQL either way: the modules the
 * source has migrated are migrated on the target, then each of their tables is copied, parents before the tables whose
 * foreign keys name them, in the order the rows were written, all in one transaction of the target: a copy that fails
 * leaves no row behind. The target must hold no rows yet in those tables: a copy is not merged into data. Neither
 * store may be in use by a hub meanwhile (the caller makes sure).
 */
public final class StoreCopy {
    static final int BATCH = 500;
    private static final Pattern HISTORY = Pattern.compile("flyway_([a-z][a-z0-9_]*)_history");
    /**
     * Tables that are not copied: Flyway's own, the pre-Flyway versions, SQLite's, the secrets (files there) and the
     * instances' heartbeats (each instance writes its own) and the recent failed credential checks.
     */
    private static final Pattern SKIPPED = Pattern.compile(
            "flyway_.*_history|schema_version|secrets|instances|failures|sqlite_.*", Pattern.CASE_INSENSITIVE);

    private final Store source;
    private final Store target;

    public StoreCopy(Store source, Store target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Copies the rows, telling {@code progress} each table's name and row count as it finishes; returns the rows
     * per table. Throws {@link HubException} before copying anything if the target already holds rows, and one
     * naming the table and the database's reason, never a row's values, if the copy fails; the target then holds
     * no rows, as before.
     */
    public Map<String, Long> run(BiConsumer<String, Long> progress) {
        try {
            return copyAll(progress);
        } catch (SQLException e) {
            throw new HubException(
                    "copying " + source.name() + " to " + target.name() + " failed (" + reason(e) + ")", e);
        }
    }

    private Map<String, Long> copyAll(BiConsumer<String, Long> progress) throws SQLException {
        for (String module : source.read(StoreCopy::modules)) {
            source.state(module);
            target.state(module);
        }
        List<String> tables = source.read(h -> tables(h.getConnection()));
        for (String table : tables) {
            long rows = count(target, table);
            if (rows > 0)
                throw new HubException("the target " + target.name() + " already holds data (" + rows + " rows in "
                        + table + "): copy into an empty database");
        }
        List<String> ordered = target.read(h -> parentsFirst(h.getConnection(), tables));
        return target.write(h -> {
            Map<String, Long> copied = new LinkedHashMap<>();
            for (String table : ordered) {
                long rows;
                try {
                    rows = copy(table, h.getConnection());
                } catch (SQLException | RuntimeException e) {
                    throw new HubException("copying table " + table + " from " + source.name() + " to "
                            + target.name() + " failed (" + reason(e) + "); the target is left without rows, as it"
                            + " was");
                }
                copied.put(table, rows);
                progress.accept(table, rows);
            }
            if (target.dialect().equals("postgresql")) advanceIdentities(h);
            return copied;
        });
    }

    /**
     * {@code tables} ordered so that a table comes after every table its foreign keys name (as the database reports
     * them), else by name; tables in a cycle of foreign keys keep their names' order.
     */
    static List<String> parentsFirst(Connection c, List<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new TreeMap<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String table : tables) {
            Set<String> named = new TreeSet<>();
            try (ResultSet r = meta.getImportedKeys(null, c.getSchema(), table)) {
                while (r.next()) {
                    String parent = r.getString("PKTABLE_NAME");
                    if (parent != null && !parent.equalsIgnoreCase(table) && tables.contains(parent)) named.add(parent);
                }
            }
            parents.put(table, named);
        }
        List<String> ordered = new ArrayList<>();
        while (!parents.isEmpty()) {
            String next = parents.entrySet().stream()
                    .filter(e -> e.getValue().stream().noneMatch(parents::containsKey))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(parents.keySet().iterator().next()); // a cycle: its first by name
            ordered.add(next);
            parents.remove(next);
        }
        return ordered;
    }

    /**
     * Why the database refused, without the statement or a row's values (a batch error quotes them): the SQL state,
     * the constraint, and the server's own words where they hold no value.
     */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (SQLException s = t instanceof SQLException sql ? sql : null; s != null; s = s.getNextException()) {
                if (s instanceof PSQLException p && p.getServerErrorMessage() != null) {
                    ServerErrorMessage server = p.getServerErrorMessage();
                    String state = server.getSQLState() == null ? "" : server.getSQLState();
                    return "SQL state " + state
                            + (server.getConstraint() == null ? "" : ", constraint " + server.getConstraint())
                            // data exceptions (class 22) may quote the value they could not take
                            + (state.startsWith("22") ? "" : ": " + server.getMessage());
                }
                if (s instanceof SQLiteException lite)
                    // SQLite's messages name the rule and the column, never the value
                    return lite.getResultCode().name() + ": "
                            + lite.getMessage().replaceFirst("^\\[[A-Z_]+\\] ", "");
            }
        }
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof SQLException sql && sql.getSQLState() != null) return "SQL state " + sql.getSQLState();
        return e.getClass().getSimpleName();
    }

    /** The modules whose Flyway history the database holds. */
    private static List<String> modules(Handle h) throws SQLException {
        List<String> modules = new ArrayList<>();
        for (String table : allTables(h.getConnection())) {
            var m = HISTORY.matcher(table);
            if (m.matches()) modules.add(m.group(1));
        }
        return modules;
    }

    private static TreeSet<String> allTables(Connection c) throws SQLException {
        TreeSet<String> tables = new TreeSet<>();
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        try (ResultSet r = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (r.next()) tables.add(r.getString("TABLE_NAME"));
        }
        return tables;
    }

    private static List<String> tables(Connection c) throws SQLException {
        return allTables(c).stream().filter(t -> !SKIPPED.matcher(t).matches()).toList();
    }

    private static long count(Store store, String table) {
        return store.read(h ->
                h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    /** Column names (lower case) and their JDBC types. */
    private static Map<String, Integer> columns(Connection c, String table) throws SQLException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        try (ResultSet r = c.getMetaData().getColumns(null, c.getSchema(), table, "%")) {
            while (r.next()) columns.put(r.getString("COLUMN_NAME").toLowerCase(), r.getInt("DATA_TYPE"));
        }
        return columns;
    }

    /** Copies {@code table}'s rows through {@code into}, the target's connection, in batches. */
    private long copy(String table, Connection into) throws SQLException {
        Map<String, Integer> targetColumns = columns(into, table);
        Map<String, Integer> sourceColumns = source.read(h -> columns(h.getConnection(), table));
        List<String> names = new ArrayList<>(sourceColumns.keySet());
        names.retainAll(targetColumns.keySet());
        if (names.isEmpty()) return 0;
        // In the order the rows were written: SQLite's rowid, or the column of that name the PostgreSQL tables have.
        boolean ordered = source.dialect().equals("sqlite") || sourceColumns.containsKey("rowid");
        String select = "SELECT " + String.join(", ", names) + " FROM " + table + (ordered ? " ORDER BY rowid" : "");
        String insert = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> "?").toList()) + ")";
        // one read transaction: a consistent view, and PostgreSQL streams the rows (fetch size) only inside one
        return source.read(handle -> handle.inTransaction(h -> {
            long rows = 0;
            try (Statement s = h.getConnection().createStatement();
                    PreparedStatement p = into.prepareStatement(insert)) {
                s.setFetchSize(BATCH);
                try (ResultSet r = s.executeQuery(select)) {
                    int batch = 0;
                    while (r.next()) {
                        for (int i = 0; i < names.size(); i++) {
                            Object value = r.getObject(i + 1);
                            if (value == null) p.setNull(i + 1, targetColumns.get(names.get(i)));
                            else p.setObject(i + 1, value);
                        }
                        p.addBatch();
                        rows++;
                        if (++batch == BATCH) {
                            p.executeBatch();
                            batch = 0;
                        }
                    }
                    if (batch > 0) p.executeBatch();
                }
            }
            return rows;
        }));
    }

    /** Moves each identity column's sequence past the copied values, so new rows do not collide with them. */
    private static Void advanceIdentities(Handle h) {
        List<Map<String, Object>> identities = h.createQuery("SELECT table_name, column_name FROM"
                        + " information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'")
                .mapToMap()
                .list();
        for (Map<String, Object> c : identities) {
            String table = (String) c.get("table_name");
            String column = (String) c.get("column_name");
            h.createQuery("SELECT setval(pg_get_serial_sequence(:table, :column), coalesce(max(" + column + "), 0) + 1,"
                            + " false) FROM " + table)
                    .bind("table", table)
                    .bind("column", column)
                    .mapTo(Long.class)
                    .one();
        }
        return null;
    }
}
