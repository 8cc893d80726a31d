package io.connectorhub.core.internal.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The modules a store has migrated since it opened, so that each module's scripts are looked at once. Thread-safe. */
final class MigratedModules {
    private final String store;
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    /** @param store names the store in the log line of a migration */
    MigratedModules(String store) {
        this.store = store;
    }

    /** Runs {@code migrate} for {@code module} and logs what it did, unless it ran already; one module at a time. */
    void once(String module, Function<String, Migrations.Outcome> migrate) {
        if (done.contains(module)) return;
        synchronized (done) {
            if (done.contains(module)) return;
            migrate.apply(module).log(store, module);
            done.add(module);
        }
    }
}
