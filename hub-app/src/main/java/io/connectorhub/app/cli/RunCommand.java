package io.connectorhub.app.cli;

import io.connectorhub.app.Hub;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hub run}: starts the hub and serves until the process is stopped (the shutdown hook closes it). */
@Command(name = "run", description = "Start the hub and serve until stopped (Ctrl-C or SIGTERM).")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        HubCommand root = HubCommand.of(spec);
        Path file = root.configChoice().file();
        HubConfig config;
        try {
            config = new ConfigLoader(root.env()).load(file);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        Hub hub = Hub.start(config, file, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            hub.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        String base = "http://" + config.server().host() + ":" + hub.port();
        spec.commandLine()
                .getOut()
                .printf(
                        "Hub ready in %d ms: %s/health, WebSocket %s/ws (config: %s)%n",
                        (System.nanoTime() - started) / 1_000_000,
                        base,
                        base.replace("http", "ws"),
                        file == null ? "built-in defaults" : file);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
