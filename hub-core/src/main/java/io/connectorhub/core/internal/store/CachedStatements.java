package io.connectorhub.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Keeps one SQLite connection's prepared statements for reuse, by their SQL. SQLite compiles every statement it
 * prepares, and the hub runs the same dozen statements for every message: profiles of the LLM benchmark put a fifth
 * of the store writer's time in that compilation. A statement in use is not in the cache, so a statement that runs
 * while another with the same SQL is open (a nested query) gets its own. Statements returning generated keys or
 * updatable result sets are not cached. Used by one handle at a time (the pool lends a connection to one handle);
 * the statements close with their connection.
 */
final class CachedStatements extends DefaultStatementBuilder {
    private static final int MAX = 64;

    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX) return false;
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    /**
     * Statements handed out by {@link #create} that may go back to the cache, with the SQL they were prepared from
     * (Jdbi closes them naming the SQL before it parsed the named parameters).
     */
    private final Map<Statement, String> lent = new IdentityHashMap<>();

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) return super.create(conn, sql, ctx);
        PreparedStatement stmt = idle.remove(sql);
        if (stmt == null || stmt.isClosed()) stmt = conn.prepareStatement(sql);
        lent.put(stmt, sql);
        return stmt;
    }

    @Override
    public void close(Connection conn, String rawSql, Statement stmt) throws SQLException {
        String sql = lent.remove(stmt);
        if (sql == null || !(stmt instanceof PreparedStatement prepared) || stmt.isClosed() || idle.containsKey(sql)) {
            stmt.close();
            return;
        }
        try {
            // A statement that left rows unread (a PRAGMA run as an update) would keep its transaction open and make
            // the next commit on this connection fail: reset it, as closing it would have.
            if (stmt instanceof CoreStatement sqlite) sqlite.pointer.safeRunInt(DB::reset);
            prepared.clearParameters();
            prepared.clearBatch();
        } catch (SQLException e) {
            stmt.close();
            return;
        }
        idle.put(sql, prepared);
    }

    private static void closeQuietly(Statement stmt) {
        try {
            stmt.close();
        } catch (SQLException e) {
            // closing with its connection anyway
        }
    }
}
