package io.connectorhub.channel.telegram;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Telegram bot's own settings ({@code channels.telegram}): long polling, or a webhook on the hub's port. Its
 * {@code allowFrom} (numeric Telegram user ids or usernames, exact, with or without {@code @}, or {@code "*"}) and
 * {@code groupPolicy} are among the common settings.
 *
 * @param token the bot token from @BotFather; never shown by {@link #toString()}
 * @param mode {@code polling} or {@code webhook}
 * @param webhookUrl the public https URL that reaches {@code /telegram/webhook} on this hub (webhook mode)
 * @param webhookSecret the {@code secret_token} Telegram sends back; empty: generated and kept in the data directory
 * @param apiUrl the Bot API server, {@code https://api.telegram.org} unless a local Bot API server is used
 * @param replyQuote whether replies quote the message they answer
 * @param pollTimeout the long-polling timeout of one {@code getUpdates} call
 * @param mediaMaxBytes the largest file downloaded to {@code <dataDir>/media}
 */
public record TelegramSettings(
        String token,
        String mode,
        String webhookUrl,
        String webhookSecret,
        String apiUrl,
        boolean replyQuote,
        Duration pollTimeout,
        long mediaMaxBytes)
        implements ChannelSettings {

    public static final Set<String> MODES = Set.of("polling", "webhook");
    private static final Pattern TOKEN = Pattern.compile("\\d+:[A-Za-z0-9_-]{20,}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    public TelegramSettings {
        token = token == null ? "" : token.strip();
        mode = mode == null ? "polling" : mode;
        webhookUrl = webhookUrl == null ? "" : webhookUrl;
        webhookSecret = webhookSecret == null ? "" : webhookSecret;
        apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.telegram.org" : apiUrl;
        pollTimeout = pollTimeout == null ? Duration.ofSeconds(30) : pollTimeout;
    }

    public boolean webhookMode() {
        return "webhook".equals(mode);
    }

    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        if (token.isEmpty()) {
            problems.add(path + ".token", "is missing: set TELEGRAM_BOT_TOKEN or channels.telegram.token in hub.yaml");
        } else {
            problems.require(
                    TOKEN.matcher(token).matches(),
                    path + ".token",
                    "does not look like a bot token (123456:ABC-...): copy it again from @BotFather");
        }
        common.requireAllowFrom(path, "list Telegram user ids or usernames, or use [\"*\"] for everyone", problems);
        problems.require(MODES.contains(mode), path + ".mode", "must be polling or webhook");
        problems.require(
                httpUrl(apiUrl)
                        && URI.create(apiUrl).getRawPath().replace("/", "").isEmpty(),
                path + ".apiUrl",
                "must be an http(s) URL without a path, such as https://api.telegram.org");
        if (webhookMode()) {
            problems.require(
                    httpsUrl(webhookUrl),
                    path + ".webhookUrl",
                    "is required in webhook mode: the public https URL of this hub's /telegram/webhook"
                            + " (Telegram delivers only over HTTPS; put an HTTPS reverse proxy in front of the hub)");
        } else {
            problems.require(
                    webhookUrl.isEmpty() || httpsUrl(webhookUrl),
                    path + ".webhookUrl",
                    "must be an https URL such as https://bot.example.com/telegram/webhook");
        }
        problems.require(
                webhookSecret.isEmpty() || SECRET.matcher(webhookSecret).matches(),
                path + ".webhookSecret",
                "must be 1-256 characters of A-Z, a-z, 0-9, _ and - (or empty to have one generated)");
        problems.require(
                pollTimeout.toSeconds() >= 1 && pollTimeout.toSeconds() <= 50,
                path + ".pollTimeout",
                "must be between 1s and 50s");
        problems.range(mediaMaxBytes, 1, 2L << 30, path + ".mediaMaxBytes");
    }

    private static boolean httpsUrl(String url) {
        return httpUrl(url) && url.startsWith("https:");
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public List<String> secrets() {
        return List.of(token, webhookSecret);
    }

    @Override
    public String toString() {
        return "TelegramSettings[token=" + (token.isEmpty() ? "<unset>" : "<set>") + ", mode=" + mode
                + ", webhookSecret=" + (webhookSecret.isEmpty() ? "<generated>" : "<set>") + "]";
    }
}
