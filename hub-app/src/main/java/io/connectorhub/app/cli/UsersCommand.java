package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.HubException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hub users ...}: the running hub's users, through {@code /api/v1/users} and {@code /api/v1/invites}. */
@Command(name = "users", description = "Manage the running hub's users.")
final class UsersCommand extends AdminCommand {
    @Command(name = "list", description = "The users: name, role, status, last sign-in.")
    int list(@Mixin JsonOption json) {
        JsonNode list = client().json("GET", "/api/v1/users", null);
        if (json.on) return print(json, list);
        for (JsonNode u : list.path("users")) {
            out().println(u.path("username").asText() + "  " + u.path("role").asText() + "  "
                    + u.path("status").asText() + "  " + u.path("id").asText() + "  last sign-in "
                    + (u.path("last_login_at").isTextual()
                            ? u.path("last_login_at").asText()
                            : "never"));
        }
        return 0;
    }

    @Command(name = "add", description = "Add a user with a generated password, printed once.")
    int add(
            @Parameters(paramLabel = "NAME") String name,
            @Option(names = "--admin", description = "with the role admin") boolean admin,
            @Mixin JsonOption json) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", name);
        body.put("role", admin ? "admin" : "user");
        JsonNode u = client().json("POST", "/api/v1/users", body);
        if (json.on) return print(json, u);
        out().println("Added " + u.path("role").asText() + " "
                + u.path("username").asText() + " (" + u.path("id").asText() + ")");
        out().println("Password (shown this once): " + u.path("password").asText());
        return 0;
    }

    @Command(name = "disable", description = "Disable a user: their sign-ins and connections end at once.")
    int disable(@Parameters(paramLabel = "NAME") String name, @Mixin JsonOption json) {
        return status(name, "disabled", json);
    }

    @Command(name = "enable", description = "Enable a disabled user again.")
    int enable(@Parameters(paramLabel = "NAME") String name, @Mixin JsonOption json) {
        return status(name, "active", json);
    }

    @Command(name = "reset-password", description = "Give a user a new generated password, printed once.")
    int resetPassword(@Parameters(paramLabel = "NAME") String name, @Mixin JsonOption json) {
        JsonNode r = client().json("POST", "/api/v1/users/" + AdminClient.segment(id(name)) + "/reset-password", null);
        if (json.on) return print(json, r);
        out().println("New password of " + name + " (shown this once): "
                + r.path("password").asText());
        return 0;
    }

    @Command(name = "invite", description = "An invite code for auth.registration: invite (valid 7 days, once).")
    int invite(@Mixin JsonOption json) {
        JsonNode r = client().json("POST", "/api/v1/invites", null);
        if (json.on) return print(json, r);
        out().println("Invite code " + r.path("code").asText() + ", valid until "
                + r.path("expires_at").asText());
        return 0;
    }

    private int status(String name, String status, JsonOption json) {
        JsonNode u = client().json("PATCH", "/api/v1/users/" + AdminClient.segment(id(name)), Map.of("status", status));
        if (json.on) return print(json, u);
        out().println((status.equals("active") ? "Enabled " : "Disabled ")
                + u.path("username").asText());
        return 0;
    }

    /** The id of the user named {@code name} (whatever its case); a clear failure if there is none. */
    private String id(String name) {
        for (JsonNode u : client().json("GET", "/api/v1/users", null).path("users")) {
            if (u.path("username").asText().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                return u.path("id").asText();
        }
        throw new HubException("no user named " + name + ": ./hub users list shows them");
    }
}
