package io.connectorhub.core.internal.store;

import io.connectorhub.core.FailureLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@link FailureLog} in the table {@code failures}, shared by the instances on the database. Recording a failure
 * also deletes every row older than {@link FailureLog#KEEP_MINUTES}, so the table holds the last hour's failures and
 * nothing costs a write while nobody fails. Thread-safe.
 */
public final class StoreFailures implements FailureLog {
    private static final Duration KEEP = Duration.ofMinutes(KEEP_MINUTES);

    private final Store store;

    public StoreFailures(Store store) {
        this.store = store;
    }

    @Override
    public void add(String scope, String subject, Instant at) {
        store.write(h -> {
            h.createUpdate("DELETE FROM failures WHERE at < :cutoff")
                    .bind("cutoff", at.minus(KEEP).toEpochMilli())
                    .execute();
            return h.createUpdate("INSERT INTO failures (scope, subject, at) VALUES (:scope, :subject, :at)")
                    .bind("scope", scope)
                    .bind("subject", subject)
                    .bind("at", at.toEpochMilli())
                    .execute();
        });
    }

    @Override
    public List<Instant> after(String scope, String subject, Instant after, int limit) {
        return store.read(h -> h.createQuery("SELECT at FROM failures WHERE scope = :scope AND subject = :subject"
                        + " AND at > :after ORDER BY at DESC LIMIT :limit")
                .bind("scope", scope)
                .bind("subject", subject)
                .bind("after", after.toEpochMilli())
                .bind("limit", limit)
                .mapTo(Long.class)
                .map(Instant::ofEpochMilli)
                .list());
    }

    @Override
    public void clear(String scope, String subject) {
        store.write(h -> h.createUpdate("DELETE FROM failures WHERE scope = :scope AND subject = :subject")
                .bind("scope", scope)
                .bind("subject", subject)
                .execute());
    }
}
