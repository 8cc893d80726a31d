package io.connectorhub.channel.telegram;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.CredentialCheck;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** The Telegram channel, {@code channels.telegram}; the doctor checks its token with {@code getMe}. */
public final class TelegramChannelFactory implements ChannelFactory<TelegramSettings> {
    @Override
    public String name() {
        return TelegramChannel.NAME;
    }

    @Override
    public Class<TelegramSettings> settingsType() {
        return TelegramSettings.class;
    }

    @Override
    public boolean hasGroups() {
        return true;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, TelegramSettings settings, ChannelContext context) {
        return new TelegramChannel(common, settings, context);
    }

    /** {@code GET {apiUrl}/bot<token>/getMe}. */
    @Override
    public Optional<CredentialCheck> checkCredentials(TelegramSettings t, OkHttpClient http) {
        Request get = new Request.Builder()
                .url(t.apiUrl().replaceAll("/+$", "") + "/bot" + t.token() + "/getMe")
                .build();
        return Optional.of(CredentialCheck.call(http, get, "Telegram", t.apiUrl(), "channels.telegram.apiUrl", a -> {
            if (a.ok() && a.body().path("ok").asBoolean())
                return CredentialCheck.passed("getMe at " + t.apiUrl()
                        + " accepted channels.telegram.token: the bot is @"
                        + a.body().at("/result/username").asText());
            if (a.status() == 401 || a.status() == 404)
                return CredentialCheck.failed(
                        "Telegram refused channels.telegram.token (" + a.describe("description") + ")",
                        "copy the current token from @BotFather into TELEGRAM_BOT_TOKEN");
            return CredentialCheck.failed(
                    "Telegram's getMe at " + t.apiUrl() + " answered " + a.describe("description"),
                    "try again later; if it stays, check channels.telegram.apiUrl");
        }));
    }
}
