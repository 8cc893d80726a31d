package io.connectorhub.app.bench;

import io.connectorhub.app.bench.Bench.Result;
import io.connectorhub.core.testing.PostgresServer;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code chat.send} through the built-in agent, closed loop, against one hub on SQLite and one and three hubs on one
 * PostgreSQL database, in the same run; each hub is its own process as {@code ./hub run} starts it, and the clients
 * are spread evenly over the hubs. For each: throughput, p50 and p99; the hubs' CPU time per message; on PostgreSQL
 * the transactions committed and rows written per message ({@code pg_stat_database}, {@code pg_stat_user_tables},
 * before and after, heartbeats included). PostgreSQL is the server {@code HUB_TEST_PG_URL} names, else a throwaway one
 * as the tests start it (fsync off, on the same machine). Prints a Markdown table. Run: {@code ./hub bench cluster}
 * (arguments: clients seconds).
 */
public final class ClusterBench {
    private ClusterBench() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<String[]> rows = new ArrayList<>();
        rows.add(run("SQLite, 1 hub", clients, seconds, 1, null));
        PostgresServer pg = PostgresServer.fromEnvironment(System.getenv());
        for (int hubs : new int[] {1, 3}) {
            TestDatabase db = pg.createDatabase();
            try {
                rows.add(run("PostgreSQL, " + hubs + (hubs == 1 ? " hub" : " hubs"), clients, seconds, hubs, db));
            } finally {
                pg.dropDatabase(db);
            }
        }
        Bench.printTable(rows);
    }

    /** {@code count} hubs on {@code db} (null: one on SQLite) under the load; one row of the table. */
    private static String[] run(String scenario, int clients, int seconds, int count, TestDatabase db)
            throws Exception {
        Map<String, String> env =
                db == null ? Map.of() : Map.of("HUB_STORE_URL", new TestStore("postgresql", null, db).storeUrl());
        List<Process> hubs = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) { // one after the other: the first creates the tables and secrets
                int port = Bench.freePort();
                hubs.add(Bench.startHub(Files.createTempDirectory("hub-bench"), port, "", env));
                ports.add(port);
                Bench.awaitHealthy(port);
            }
            WsLoadBench.closedLoop(ports, clients, 5); // warm-up
            long[] before = db == null ? new long[2] : counters(db);
            Duration cpuBefore = cpu(hubs);
            Result result = WsLoadBench.closedLoop(ports, clients, seconds);
            Duration cpu = cpu(hubs).minus(cpuBefore);
            String measured = result.summary()
                    + String.format(", %.0f µs hub CPU/msg", cpu.toNanos() / 1000.0 / result.messages());
            if (db != null) {
                Thread.sleep(1500); // PostgreSQL publishes its statistics within a second
                long[] after = counters(db);
                measured += String.format(
                        ", %.2f transactions and %.1f rows written/msg",
                        (after[0] - before[0]) / (double) result.messages(),
                        (after[1] - before[1]) / (double) result.messages());
            }
            return Bench.row(scenario + ", " + clients + " clients", "", measured, null);
        } finally {
            for (Process hub : hubs) Bench.stop(hub);
        }
    }

    /** The CPU time the hubs' processes used so far. */
    private static Duration cpu(List<Process> hubs) {
        Duration total = Duration.ZERO;
        for (Process hub : hubs) {
            total = total.plus(hub.info().totalCpuDuration().orElse(Duration.ZERO));
            for (ProcessHandle child : hub.descendants().toList())
                total = total.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    /** Transactions committed in {@code db}, and rows inserted, updated or deleted in its tables, so far. */
    private static long[] counters(TestDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database "
                        + "WHERE datname = current_database()), (SELECT coalesce(sum(n_tup_ins + n_tup_upd + "
                        + "n_tup_del), 0) FROM pg_stat_user_tables)")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }
}
