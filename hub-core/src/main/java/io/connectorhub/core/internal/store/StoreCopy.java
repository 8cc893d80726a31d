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
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Copies every module's rows from one {@link Store} into another, SQLite or PostgreSQL either way: the modules the
 * source has migrated are migrated on the target, then each of their tables is copied in batches of {@link #BATCH}
 * rows (one transaction each), in the order the rows were written. The target must hold no rows yet in those tables:
 * a copy is not merged into data. Neither store may be in use by a hub meanwhile (the caller makes sure).
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
     * per table. Throws {@link HubException} before copying anything if the target already holds rows.
     */
    public Map<String, Long> run(BiConsumer<String, Long> progress) {
        try {
            return copyAll(progress);
        } catch (SQLException e) {
            throw new HubException(
                    "copying " + source.name() + " to " + target.name() + " failed: " + e.getMessage(), e);
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
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : tables) {
            long rows = copy(table);
            copied.put(table, rows);
            progress.accept(table, rows);
        }
        if (target.dialect().equals("postgresql")) target.write(StoreCopy::advanceIdentities);
        return copied;
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

    private long copy(String table) throws SQLException {
        Map<String, Integer> targetColumns = target.read(h -> columns(h.getConnection(), table));
        List<String> names = new ArrayList<>(
                source.read(h -> columns(h.getConnection(), table)).keySet());
        names.retainAll(targetColumns.keySet());
        if (names.isEmpty()) return 0;
        // In the order the rows were written: SQLite's rowid, or the column of that name the PostgreSQL tables have.
        boolean ordered = source.dialect().equals("sqlite")
                || source.read(h -> columns(h.getConnection(), table)).containsKey("rowid");
        String select = "SELECT " + String.join(", ", names) + " FROM " + table + (ordered ? " ORDER BY rowid" : "");
        String insert = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> "?").toList()) + ")";
        // one read transaction: a consistent view, and PostgreSQL streams the rows (fetch size) only inside one
        return source.read(handle -> handle.inTransaction(h -> {
            long rows = 0;
            try (Statement s = h.getConnection().createStatement()) {
                s.setFetchSize(BATCH);
                try (ResultSet r = s.executeQuery(select)) {
                    List<Object[]> batch = new ArrayList<>(BATCH);
                    while (r.next()) {
                        Object[] row = new Object[names.size()];
                        for (int i = 0; i < row.length; i++) row[i] = r.getObject(i + 1);
                        batch.add(row);
                        if (batch.size() == BATCH) rows += insert(insert, names, targetColumns, batch);
                    }
                    rows += insert(insert, names, targetColumns, batch);
                }
            }
            return rows;
        }));
    }

    /** Inserts {@code batch} in one transaction of the target and empties it. */
    private int insert(String sql, List<String> names, Map<String, Integer> types, List<Object[]> batch)
            throws SQLException {
        if (batch.isEmpty()) return 0;
        List<Object[]> rows = List.copyOf(batch);
        batch.clear();
        return target.write(h -> {
            try (PreparedStatement p = h.getConnection().prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        if (row[i] == null) p.setNull(i + 1, types.get(names.get(i)));
                        else p.setObject(i + 1, row[i]);
                    }
                    p.addBatch();
                }
                p.executeBatch();
            }
            return rows.size();
        });
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
