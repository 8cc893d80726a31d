package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.app.admin.AdminCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub status} and {@code hub webhooks ...} against a running hub. */
class AdminCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(AdminHarness hub, String token, String... args) throws Exception {
        out.reset();
        err.reset();
        AdminCli cli = AdminCli.of(
                hub.config,
                Map.of("HUB_URL", "http://127.0.0.1:" + hub.hub.port(), "HUB_ADMIN_TOKEN", token),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> all = List.of(args);
        return cli.run(all.get(0), all.subList(1, all.size()));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void managesWebhooksAndShowsTheStatus() throws Exception {
        try (AdminHarness hub =
                AdminHarness.start(dir, "webhooks:\n  allowPrivateTargets: true\n", Clock.systemUTC())) {
            assertEquals(0, run(hub, AdminHarness.READ, "status"));
            assertTrue(out().contains("websocket") && out().contains("running"), out());

            assertEquals(
                    0,
                    run(
                            hub,
                            AdminHarness.WRITE,
                            "webhooks",
                            "add",
                            "http://127.0.0.1:9/events",
                            "--events",
                            "message.inbound,channel.status",
                            "--description",
                            "ops"));
            assertTrue(out().contains("whsec_"), out());
            String id = out().split(" ")[2];

            assertEquals(0, run(hub, AdminHarness.READ, "webhooks", "list"));
            assertTrue(out().contains(id) && out().contains("message.inbound,channel.status"), out());

            assertEquals(0, run(hub, AdminHarness.WRITE, "webhooks", "test", id));
            assertTrue(out().contains("msg_"), out());

            assertEquals(1, run(hub, AdminHarness.READ, "webhooks", "rm", id));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("403"));
            assertEquals(0, run(hub, AdminHarness.WRITE, "webhooks", "rm", id));
            assertEquals(1, run(hub, AdminHarness.WRITE, "webhooks", "rm", id));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("404"));
            assertEquals(2, run(hub, AdminHarness.WRITE, "webhooks", "frobnicate"));
        }
    }
}
