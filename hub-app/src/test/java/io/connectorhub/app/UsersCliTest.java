package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./hub users} and {@code ./hub auth} against a running hub. */
class UsersCliTest {
    @TempDir
    Path dir;

    private CliRun run(AdminHarness hub, String... args) {
        return CliRun.of(
                Map.of("HUB_URL", "http://127.0.0.1:" + hub.hub.port(), "HUB_ADMIN_TOKEN", AdminHarness.WRITE),
                dir,
                args);
    }

    private static String shownOnce(CliRun r) {
        assertEquals(0, r.exit(), r.toString());
        String marker = "(shown this once): ";
        return r.out().substring(r.out().indexOf(marker) + marker.length()).strip();
    }

    private static int login(AdminHarness hub, String username, String password) throws Exception {
        return hub.call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password))
                .status();
    }

    @Test
    void addsListsDisablesEnablesAndResetsUsersAndInvites() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "auth: {registration: invite}", Clock.systemUTC())) {
            String password = shownOnce(run(hub, "users", "add", "ann"));
            assertEquals(200, login(hub, "ann", password));
            CliRun list = run(hub, "users", "list");
            assertTrue(list.out().contains("ann  user  active"), list.toString());
            assertTrue(list.out().contains("admin  admin  active"), list.toString());

            assertEquals("Disabled ann\n", run(hub, "users", "disable", "ann").out());
            assertEquals(401, login(hub, "ann", password));
            assertEquals("Enabled ann\n", run(hub, "users", "enable", "ANN").out());
            assertEquals(200, login(hub, "ann", password));

            String admin = shownOnce(run(hub, "users", "reset-password", "admin"));
            assertEquals(200, login(hub, "admin", admin));
            CliRun added = run(hub, "users", "add", "bo", "--admin");
            assertTrue(added.out().startsWith("Added admin bo"), added.toString());

            assertTrue(run(hub, "users", "invite").out().startsWith("Invite code "));
            CliRun unknown = run(hub, "users", "disable", "nobody");
            assertEquals(1, unknown.exit());
            assertTrue(unknown.err().contains("no user named nobody"), unknown.toString());
        }
    }

    @Test
    void rotatesTheSigningKeyAndOldTokensStillWork() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "", Clock.systemUTC())) {
            String password = shownOnce(run(hub, "users", "add", "ann"));
            String before = hub.call(
                            "POST", "/api/v1/auth/login", null, Map.of("username", "ann", "password", password))
                    .json()
                    .get("access_token")
                    .asText();
            CliRun rotated = run(hub, "auth", "rotate-key");
            assertTrue(rotated.out().contains("1 older key(s) still verify"), rotated.toString());
            assertEquals(200, hub.call("GET", "/api/v1/auth/me", before, null).status());
        }
    }
}
