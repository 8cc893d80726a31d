package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hub auth ...}: the running hub's access-token signing keys, through {@code /api/v1/auth/rotate-key}. */
@Command(name = "auth", description = "Manage how the running hub signs users' access tokens.")
final class AuthCommand extends AdminCommand {
    @Command(
            name = "rotate-key",
            description = "Sign access tokens with a new key; the old one verifies until its tokens expire.")
    int rotateKey(@Mixin JsonOption json) {
        JsonNode r = client().json("POST", "/api/v1/auth/rotate-key", null);
        if (json.on) return print(json, r);
        out().println("Access tokens are signed with key "
                + r.path("key_ids").path(0).asText() + " from now on; "
                + (r.path("key_ids").size() - 1) + " older key(s) still verify");
        return 0;
    }
}
