package io.connectorhub.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}, installed by {@code build/test-services ensure}) on a free 127.0.0.1 port,
 * in front of hubs on 127.0.0.1, with the configuration README "Running several instances" shows: WebSocket upgrades
 * proxied, the client's address in {@code X-Forwarded-For}. It runs in the foreground with its prefix, configuration,
 * pid, logs and temporary files in {@code dir}, as user {@code nobody} when the tests run as root. {@link #close()}
 * stops it.
 */
final class NginxProxy implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;

    private NginxProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The configuration for nginx on {@code port} in front of hubs on {@code hubPorts}; {@code dir} holds its files. */
    static String configuration(Path dir, int port, List<Integer> hubPorts) {
        String servers = hubPorts.stream()
                .map(p -> "        server 127.0.0.1:" + p + ";")
                .collect(Collectors.joining("\n"));
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;

                    map $http_upgrade $connection_upgrade {
                        default upgrade;
                        ''      close;
                    }
                    upstream hub {
                %2$s
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://hub;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_read_timeout 1h;
                            proxy_send_timeout 1h;
                        }
                    }
                }
                """.formatted(dir, servers, port);
    }

    /** Starts nginx in {@code dir} (created, and owned by {@code nobody} under root) and waits until it listens. */
    static NginxProxy start(Path dir, List<Integer> hubPorts) throws IOException {
        if (!Files.isExecutable(BINARY))
            throw new IllegalStateException(
                    "nginx is missing: install it with build/test-services ensure (as root; ./hub test runs it)");
        Files.createDirectories(dir);
        int port = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, configuration(dir.toAbsolutePath(), port, hubPorts));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            Files.setOwner(
                    dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            command.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        command.addAll(List.of(
                BINARY.toString(),
                "-p",
                dir.toAbsolutePath().toString(),
                "-c",
                conf.toAbsolutePath().toString(),
                "-e",
                dir.toAbsolutePath().resolve("error.log").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile())
                .start();
        NginxProxy proxy = new NginxProxy(process, port);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                if (!process.isAlive())
                    throw new IllegalStateException("nginx stopped: " + Files.readString(dir.resolve("console.log"))
                            + (Files.exists(dir.resolve("error.log"))
                                    ? Files.readString(dir.resolve("error.log"))
                                    : ""));
                return listening(port);
            });
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    int port() {
        return port;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy); // nginx's master and worker under runuser
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
