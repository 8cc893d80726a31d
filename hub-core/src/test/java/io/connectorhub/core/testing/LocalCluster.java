package io.connectorhub.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster: {@code initdb} into a fresh directory under the temp directory and a server on a
 * free 127.0.0.1 port with its socket in that directory and fsync off. The server runs as user {@code postgres} when
 * this JVM runs as root (PostgreSQL refuses root), as this JVM's user otherwise. A shutdown hook stops it and deletes
 * the directory when the JVM exits; {@link #start(Path)} first removes what JVMs that died without running theirs
 * left behind. Thread-safe.
 */
final class LocalCluster {
    static final int MIN_VERSION = 14;
    static final String SUPERUSER = "postgres";
    static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";
    /** Directory names: the prefix, then the owning JVM's pid and start time, then random digits. */
    private static final String PREFIX = "hub-test-pg-";

    private final Path bin;
    private final Path dir;
    private final List<String> runAs;
    private int port;
    private boolean running;

    private LocalCluster(Path bin, Path dir, List<String> runAs) {
        this.bin = bin;
        this.dir = dir;
        this.runAs = runAs;
    }

    /** Creates and starts a cluster in a new directory under {@code tempDir}. */
    static LocalCluster start(Path tempDir) {
        Path bin = binaries(DEBIAN_BINARIES);
        try {
            Optional<UserPrincipal> owner = "root".equals(System.getProperty("user.name"))
                    ? Optional.of(unprivilegedUser(tempDir))
                    : Optional.empty();
            List<String> runAs = owner.isPresent() ? List.of("runuser", "-u", OS_USER, "--") : List.of();
            removeLeftovers(tempDir, bin, runAs);
            Path dir = Files.createTempDirectory(tempDir, PREFIX + ownerTag(ProcessHandle.current()) + "-");
            LocalCluster cluster = new LocalCluster(bin, dir, runAs);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "test-postgres-removal"));
            if (owner.isPresent()) {
                Files.setOwner(dir, owner.get());
            }
            cluster.run(
                    "initdb",
                    bin.resolve("initdb").toString(),
                    "-D",
                    cluster.data(),
                    "-U",
                    SUPERUSER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions");
            cluster.startOnFreePort();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up a PostgreSQL cluster under " + tempDir, e);
        }
    }

    /** The newest {@code root/<version>/bin} of version {@link #MIN_VERSION} or newer with a server in it. */
    static Path binaries(Path root) {
        try (Stream<Path> versions = Files.list(root)) {
            Optional<Path> newest = versions.filter(
                            version -> version.getFileName().toString().matches("\\d{1,4}"))
                    .filter(version -> Integer.parseInt(version.getFileName().toString()) >= MIN_VERSION)
                    .map(version -> version.resolve("bin"))
                    .filter(bin -> Stream.of("initdb", "pg_ctl", "postgres")
                            .allMatch(tool -> Files.isExecutable(bin.resolve(tool))))
                    .max(Comparator.comparingInt(bin ->
                            Integer.parseInt(bin.getParent().getFileName().toString())));
            if (newest.isPresent()) {
                return newest.get();
            }
        } catch (NoSuchFileException e) {
            // no PostgreSQL at all: reported below
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("PostgreSQL " + MIN_VERSION + " or newer is missing: no " + root
                + "/<version>/bin with initdb, pg_ctl and postgres. Install it with build/test-services ensure (as"
                + " root; ./hub test runs it), or set " + PostgresServer.URL_VARIABLE
                + "=postgresql://user:password@host:port/database to use a running server");
    }

    private static UserPrincipal unprivilegedUser(Path tempDir) throws IOException {
        try {
            return tempDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("the tests run as root, so their PostgreSQL server must run as user "
                    + OS_USER + ", and there is no such user: install Debian's postgresql package (build/test-services"
                    + " ensure) or create the user, or set " + PostgresServer.URL_VARIABLE
                    + " to use a running server");
        }
    }

    /** The process id and start time of {@code process}, which tell a live owner from a dead one. */
    static String ownerTag(ProcessHandle process) {
        return process.pid() + "-"
                + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Stops the servers of clusters under {@code tempDir} whose JVM is gone, and deletes their directories. */
    static void removeLeftovers(Path tempDir, Path bin, List<String> runAs) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tempDir, PREFIX + "*")) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                String tag = name.substring(PREFIX.length(), Math.max(PREFIX.length(), name.lastIndexOf('-')));
                boolean ownerAlive = tag.matches("\\d+-\\d+")
                        && ProcessHandle.of(Long.parseLong(tag.substring(0, tag.indexOf('-'))))
                                .map(LocalCluster::ownerTag)
                                .filter(tag::equals)
                                .isPresent();
                if (!ownerAlive) {
                    LocalCluster leftover = new LocalCluster(bin, dir, runAs);
                    leftover.running = Files.exists(dir.resolve("data/postmaster.pid"));
                    leftover.destroy();
                }
            }
        } catch (IOException e) {
            // Another JVM may be removing the same leftovers: what remains is removed next time.
        }
    }

    int port() {
        return port;
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    /** Starts the server on a free port; another process may take the port in between, so it tries three. */
    private synchronized void startOnFreePort() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !Files.readString(log()).contains("could not bind")) {
                    throw e;
                }
            }
        }
    }

    /** Starts the server (on the port of its first start) unless it runs. */
    synchronized void start() {
        if (running) {
            return;
        }
        String options = "-p " + port + " -k '" + dir + "' -c listen_addresses=127.0.0.1"
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        try {
            run(
                    "pg_ctl start",
                    bin.resolve("pg_ctl").toString(),
                    "start",
                    "-D",
                    data(),
                    "-l",
                    log().toString(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + log() + ":\n" + readLog(), e);
        }
        running = true;
    }

    /** Stops the server, cutting open connections, unless it is stopped. */
    synchronized void stop() {
        if (running) {
            run("pg_ctl stop", bin.resolve("pg_ctl").toString(), "stop", "-D", data(), "-m", "fast", "-w");
            running = false;
        }
    }

    /** Stops the server at once and deletes the directory, as far as it can: it runs at JVM exit. */
    private synchronized void destroy() {
        try {
            if (running) {
                run("pg_ctl stop", bin.resolve("pg_ctl").toString(), "stop", "-D", data(), "-m", "immediate", "-w");
                running = false;
            }
        } catch (RuntimeException e) {
            // the directory goes all the same
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: the next JVM's removeLeftovers tries again
        }
    }

    private String readLog() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Runs {@code command} as the server's user in the cluster's directory; throws with its output on failure. */
    private void run(String what, String... command) {
        List<String> line = new ArrayList<>(runAs);
        line.addAll(List.of(command));
        ProcessBuilder builder =
                new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", line), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }
}
