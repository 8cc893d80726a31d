package io.connectorhub.core.internal.store;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * How a failed statement is described in its exception, and so in the log: the database's reason and the statement,
 * never the values bound to it (password hashes, token hashes, message text, signing secrets), which Jdbi includes
 * by default.
 */
final class StatementErrors {
    /** Characters of a statement kept in the message. */
    private static final int STATEMENT_LENGTH = 200;

    private StatementErrors() {}

    static Jdbi withoutValues(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> {
            StatementContext context = e.getStatementContext();
            String sql = context == null ? null : context.getRawSql();
            if (sql == null) return e.getShortMessage();
            String shown = sql.length() <= STATEMENT_LENGTH ? sql : sql.substring(0, STATEMENT_LENGTH) + "…";
            return e.getShortMessage() + " [statement: \"" + shown + "\"]";
        });
        return jdbi;
    }
}
