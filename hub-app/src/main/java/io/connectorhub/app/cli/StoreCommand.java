package io.connectorhub.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.connectorhub.accounts.SqlSigningKeyStore;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.GeneratedSecrets;
import io.connectorhub.core.HubException;
import io.connectorhub.core.internal.DataDirectory;
import io.connectorhub.core.internal.OwnerOnly;
import io.connectorhub.core.internal.store.Instances;
import io.connectorhub.core.internal.store.PostgresStore;
import io.connectorhub.core.internal.store.PostgresUrl;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreCopy;
import io.connectorhub.core.internal.store.StoredSecrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hub store copy} and {@code hub store backup}: the hub's database, with no hub API needed. */
@Command(name = "store", description = "Copy the hub's database to or from PostgreSQL, or back up its SQLite file.")
final class StoreCommand {
    /**
     * The secrets the hub generates: the files in a SQLite hub's data directory (keys) and the rows of {@code secrets}
     * on PostgreSQL (values) that hold them.
     */
    static final Map<String, String> GENERATED_SECRETS = Map.of(
            "admin.token", "admin.token",
            "websocket.token", "websocket.token",
            "telegram-webhook.secret", "telegram-webhook.secret",
            "signing-keys.json", SqlSigningKeyStore.NAME);

    @Spec
    CommandSpec spec;

    /** Exactly one of the two. */
    static final class Direction {
        @Option(
                names = "--to",
                paramLabel = "URL|DIR",
                description = "copy the configured store into this PostgreSQL URL or SQLite data directory")
        String to;

        @Option(
                names = "--from",
                paramLabel = "URL|DIR",
                description = "copy this PostgreSQL URL or SQLite data directory into the configured store")
        String from;
    }

    @Command(
            name = "copy",
            description = "Copy every table (history, sessions, pending messages and replies, webhooks, gateways,"
                    + " idempotency keys, users) and the generated secrets (tokens, signing keys) between the"
                    + " configured store and another, in one transaction of the target: a failed copy leaves it"
                    + " without rows. The hub must be stopped, every instance on a PostgreSQL side too; the target"
                    + " must hold no rows yet. The configured store is store.url if set, else SQLite in store.dataDir.")
    int copy(@ArgGroup(exclusive = true, multiplicity = "1") Direction direction) {
        HubConfig config = HubCommand.of(spec).loadConfig();
        Path dataDir = Path.of(config.store().dataDir());
        PrintWriter out = spec.commandLine().getOut();
        String other = direction.to != null ? direction.to : direction.from;
        List<AutoCloseable> open = new ArrayList<>();
        open.add(quietLibraries());
        try {
            open.add(DataDirectory.lock(dataDir)); // a running hub holds it: refused, nothing touched
            Side configured = config.store().postgres()
                    ? Side.postgres(config.store().url().strip(), "store.url")
                    : Side.sqlite(dataDir);
            Side given =
                    PostgresUrl.isPostgres(other) ? Side.postgres(other, "the URL given") : Side.sqlite(Path.of(other));
            if (given.dir != null
                    && !given.dir
                            .toAbsolutePath()
                            .normalize()
                            .equals(dataDir.toAbsolutePath().normalize())) open.add(DataDirectory.lock(given.dir));
            Side from = direction.to != null ? configured : given;
            Side to = direction.to != null ? given : configured;
            Store source = from.open();
            open.add(source);
            Store target = to.open();
            open.add(target);
            Duration deadAfter = config.cluster().deadAfter();
            if (from.url != null) refuseLiveInstances(source, deadAfter);
            if (to.url != null) refuseLiveInstances(target, deadAfter);
            Map<String, Long> copied = new StoreCopy(source, target)
                    .run((table, rows) -> out.println("Copied " + rows + " rows of " + table));
            int secrets = copySecrets(from, source, to, target);
            long total = copied.values().stream().mapToLong(Long::longValue).sum();
            out.println("Copied " + total + " rows in " + copied.size() + " tables and " + secrets
                    + " generated secrets from " + source.name() + " to " + target.name());
            return 0;
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    spec.commandLine().getErr().println("hub: closing failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Sends the libraries' log lines below WARN (the pool's, the migrations') nowhere while the command runs, so
     * that it prints its own lines only; closing restores the level.
     */
    private static AutoCloseable quietLibraries() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        if (level == null || !level.isGreaterOrEqual(Level.WARN)) root.setLevel(Level.WARN);
        return () -> root.setLevel(level);
    }

    /** Refuses a PostgreSQL database that a hub instance has beaten in within {@code deadAfter}: it is in use. */
    private static void refuseLiveInstances(Store store, Duration deadAfter) {
        Instant since = Instant.now().minus(deadAfter);
        List<String> live = new Instances(store, Clock.systemUTC())
                .list().stream()
                        .filter(i -> i.lastSeen().isAfter(since))
                        .map(Instances.Instance::id)
                        .toList();
        if (!live.isEmpty())
            throw new HubException(store.name() + " is in use by hub instance" + (live.size() == 1 ? " " : "s ")
                    + String.join(", ", live) + " (a heartbeat within cluster.deadAfter, " + deadAfter.toSeconds()
                    + "s): stop " + (live.size() == 1 ? "it" : "them") + " before copying");
    }

    /** One end of a copy: a SQLite data directory, or a PostgreSQL server. */
    private record Side(Path dir, PostgresUrl url) {
        static Side sqlite(Path dir) {
            return new Side(dir, null);
        }

        static Side postgres(String url, String setting) {
            return new Side(null, PostgresUrl.parse(url, setting));
        }

        Store open() {
            return dir != null ? Store.open(dir.resolve("hub.db")) : PostgresStore.open(url, 2, "store.url");
        }

        GeneratedSecrets secrets(Store store) {
            return dir != null ? GeneratedSecrets.inDirectory(dir) : new StoredSecrets(store, Clock.systemUTC());
        }
    }

    /** Copies the generated secrets the source has and the target lacks; returns how many. */
    private static int copySecrets(Side from, Store source, Side to, Store target) {
        int copied = 0;
        for (Map.Entry<String, String> secret : new TreeMap<>(GENERATED_SECRETS).entrySet()) {
            String value = from.dir != null
                    ? file(from.dir.resolve(secret.getKey()))
                    : source.read(h -> StoredSecrets.value(h, secret.getValue()))
                            .orElse(null);
            if (value == null) continue;
            if (to.dir != null) {
                Path file = to.dir.resolve(secret.getKey());
                if (file(file) != null) continue;
                try {
                    OwnerOnly.writeString(file, value + "\n");
                } catch (IOException e) {
                    throw new HubException("cannot write " + file + ": " + e.getMessage(), e);
                }
            } else {
                boolean added = target.write(h -> h.createUpdate("INSERT INTO secrets (name, value, created_at) VALUES"
                                        + " (:name, :value, :now) ON CONFLICT (name) DO NOTHING")
                                .bind("name", secret.getValue())
                                .bind("value", value)
                                .bind("now", System.currentTimeMillis())
                                .execute())
                        == 1;
                if (!added) continue;
            }
            copied++;
        }
        return copied;
    }

    private static String file(Path file) {
        try {
            if (!Files.exists(file)) return null;
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? null : value;
        } catch (IOException e) {
            throw new HubException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Command(
            name = "backup",
            description = "Write a consistent copy of the SQLite database (store.dataDir/hub.db) to FILE, also while"
                    + " the hub runs and writes (SQLite's VACUUM INTO, in one read transaction). FILE must not exist;"
                    + " it is created readable by its owner only. On PostgreSQL use pg_dump.")
    int backup(@Parameters(paramLabel = "FILE", description = "the new backup file") Path file) {
        HubConfig config = HubCommand.of(spec).loadConfig();
        if (config.store().postgres())
            throw new HubException("store backup copies a SQLite database, and store.url puts this hub on PostgreSQL:"
                    + " back it up with pg_dump");
        Path db = Path.of(config.store().dataDir()).resolve("hub.db");
        if (!Files.exists(db))
            throw new HubException(
                    "no database at " + db + ": set store.dataDir (or HUB_DATA) to the hub's data directory");
        if (Files.exists(file)) throw new HubException(file + " exists already: name a new file");
        try {
            OwnerOnly.createFile(file); // empty and owner-only; VACUUM INTO fills an empty file
        } catch (IOException e) {
            throw new HubException("cannot create " + file + ": " + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("VACUUM INTO '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the error below is what matters
            }
            throw new HubException("backing up " + db + " failed: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Backed up " + db + " to " + file);
        return 0;
    }
}
