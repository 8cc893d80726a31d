package io.connectorhub.app;

import io.connectorhub.app.admin.AdminCli;
import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.ConfigProblem;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code run [--config FILE]}, {@code config check FILE}, {@code config defaults}, and the admin
 * client commands {@code status} and {@code webhooks ...} (see {@link AdminCli}).
 */
public final class Main {
    private static final String USAGE = """
            usage: hub run [--config FILE]     start the hub (FILE defaults to $HUB_CONFIG, then ./hub.yaml if present)
                   hub config check FILE       report every problem in FILE, each with its key path
                   hub config defaults         print every setting with its default
            """ + AdminCli.USAGE;

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            System.out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        ConfigLoader loader = new ConfigLoader(System.getenv());
        return switch (args.get(0)) {
            case "run" -> serve(loader, configFile(args.subList(1, args.size())));
            case "config" -> config(loader, args.subList(1, args.size()));
            case "status", "webhooks" -> admin(loader, args);
            default -> {
                System.err.println("unknown command: " + args.get(0) + "\n" + USAGE);
                yield 2;
            }
        };
    }

    private static Path configFile(List<String> args) {
        if (args.size() == 2 && args.get(0).equals("--config")) return Path.of(args.get(1));
        if (!args.isEmpty()) throw new HubException("unexpected arguments " + args + "\n" + USAGE);
        String fromEnv = System.getenv("HUB_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        Path local = Path.of("hub.yaml");
        return Files.exists(local) ? local : null;
    }

    private static int serve(ConfigLoader loader, Path file) throws Exception {
        long started = System.nanoTime();
        HubConfig config;
        try {
            config = loader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Hub hub = Hub.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            hub.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        String base = "http://" + config.server().host() + ":" + hub.port();
        System.out.printf(
                "Hub ready in %d ms: %s/health, WebSocket %s/ws (config: %s)%n",
                (System.nanoTime() - started) / 1_000_000,
                base,
                base.replace("http", "ws"),
                file == null ? "built-in defaults" : file);
        stopped.await();
        return 0;
    }

    private static int admin(ConfigLoader loader, List<String> args) throws Exception {
        HubConfig config;
        try {
            config = loader.load(configFile(List.of()));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        AdminCli cli;
        try {
            cli = AdminCli.of(config, System.getenv(), System.out, System.err);
        } catch (java.io.IOException e) {
            System.err.println("hub: " + e.getMessage());
            return 1;
        }
        return cli.run(args.get(0), args.subList(1, args.size()));
    }

    private static int config(ConfigLoader loader, List<String> args) throws Exception {
        if (args.size() == 1 && args.get(0).equals("defaults")) {
            try (var in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
                System.out.write(in.readAllBytes());
            }
            return 0;
        }
        if (args.size() != 2 || !args.get(0).equals("check")) {
            System.err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args.get(1));
        try {
            loader.load(file);
            System.out.println(file + ": OK");
            return 0;
        } catch (ConfigException e) {
            System.out.println(file + ": " + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s"));
            for (ConfigProblem p : e.problems()) System.out.println("  " + p);
            return 1;
        }
    }
}
