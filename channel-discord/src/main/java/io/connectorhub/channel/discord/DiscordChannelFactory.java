package io.connectorhub.channel.discord;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.CredentialCheck;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** The Discord channel, {@code channels.discord}; the doctor checks its token with {@code GET /users/@me}. */
public final class DiscordChannelFactory implements ChannelFactory<DiscordSettings> {
    @Override
    public String name() {
        return DiscordChannel.NAME;
    }

    @Override
    public Class<DiscordSettings> settingsType() {
        return DiscordSettings.class;
    }

    @Override
    public boolean hasGroups() {
        return true;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, DiscordSettings settings, ChannelContext context) {
        return new DiscordChannel(common, settings, context);
    }

    /** {@code GET {apiUrl}/users/@me} with {@code Authorization: Bot <token>}. */
    @Override
    public Optional<CredentialCheck> checkCredentials(DiscordSettings d, OkHttpClient http) {
        Request get = new Request.Builder()
                .url(d.apiUrl().replaceAll("/+$", "") + "/users/@me")
                .header("Authorization", "Bot " + d.token())
                .build();
        return Optional.of(CredentialCheck.call(http, get, "Discord", d.apiUrl(), "channels.discord.apiUrl", a -> {
            if (a.ok())
                return CredentialCheck.passed("GET /users/@me at " + d.apiUrl()
                        + " accepted channels.discord.token: the bot is "
                        + a.body().path("username").asText() + " (id "
                        + a.body().path("id").asText() + ")");
            if (a.status() == 401 || a.status() == 403)
                return CredentialCheck.failed(
                        "Discord refused channels.discord.token (" + a.describe("message") + ")",
                        "reset the token on the Bot page of the Discord developer portal and put it in"
                                + " DISCORD_BOT_TOKEN");
            return CredentialCheck.failed(
                    "Discord's GET /users/@me at " + d.apiUrl() + " answered " + a.describe("message"),
                    "try again later; if it stays, check channels.discord.apiUrl");
        }));
    }
}
