package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hub channels ...}: platform webhook registration, through {@code /api/v1/channels/{name}/webhook}. */
@Command(name = "channels", description = "Register or remove a platform's webhook (Telegram).")
final class ChannelsCommand extends AdminCommand {
    @Command(
            name = "set-webhook",
            description = "Ask the platform to push to URL, the public address of this hub's webhook route"
                    + " (Telegram: https://…/telegram/webhook). Feishu answers with the console steps.")
    int setWebhook(
            @Parameters(paramLabel = "NAME", description = "the channel, e.g. telegram") String name,
            @Parameters(paramLabel = "URL") String url,
            @Mixin JsonOption json) {
        return shown(json, client().json("POST", path(name), Map.of("url", url)), name);
    }

    @Command(name = "delete-webhook", description = "Remove the platform webhook (Telegram goes back to polling).")
    int deleteWebhook(@Parameters(paramLabel = "NAME") String name, @Mixin JsonOption json) {
        return shown(json, client().json("DELETE", path(name), null), name);
    }

    private int shown(JsonOption json, JsonNode status, String name) {
        if (json.on) return print(json, status);
        out().printf(
                        "%s webhook: %s %s%s%n",
                        name,
                        status.path("mode").asText(),
                        status.path("url").asText(""),
                        status.path("lastError").isTextual()
                                ? "  last error: " + status.path("lastError").asText()
                                : "");
        return 0;
    }

    private static String path(String name) {
        return "/api/v1/channels/" + AdminClient.segment(name) + "/webhook";
    }
}
