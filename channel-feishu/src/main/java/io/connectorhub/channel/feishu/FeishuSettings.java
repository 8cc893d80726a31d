package io.connectorhub.channel.feishu;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The Feishu / Lark bot's own settings ({@code channels.feishu}): a self-built app that receives
 * {@code im.message.receive_v1} events at {@code /feishu/events} (webhook mode) or over the SDK's long connection, and
 * answers through the open platform. Its {@code allowFrom} (open_ids) and {@code groupPolicy} (in group chats) are
 * among the common settings.
 *
 * @param domain {@code feishu} (open.feishu.cn) or {@code lark} (open.larksuite.com)
 * @param baseUrl the open platform's base URL when not the domain's (a proxy, or a local fake in tests); empty for
 *     the domain's
 * @param mode {@code webhook} (Feishu posts events to the hub) or {@code longconn} (the hub holds a WebSocket to Feishu)
 * @param timestampTolerance how far {@code X-Lark-Request-Timestamp} may be from now before a callback is refused
 * @param retryBackoff the first wait before resending a throttled or failed send (doubles each time)
 * @param botInfoRetry the least time between two reads of the bot's open_id while it is unknown
 */
public record FeishuSettings(
        String appId,
        String appSecret,
        String verificationToken,
        String encryptKey,
        String domain,
        String baseUrl,
        String mode,
        Duration timestampTolerance,
        Duration retryBackoff,
        Duration botInfoRetry)
        implements ChannelSettings {

    public static final Set<String> DOMAINS = Set.of("feishu", "lark");
    public static final Set<String> MODES = Set.of("webhook", "longconn");

    public FeishuSettings {
        appId = appId == null ? "" : appId.strip();
        appSecret = appSecret == null ? "" : appSecret;
        verificationToken = verificationToken == null ? "" : verificationToken;
        encryptKey = encryptKey == null ? "" : encryptKey;
        domain = domain == null ? "feishu" : domain;
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        mode = mode == null ? "webhook" : mode;
    }

    public boolean longConnection() {
        return mode.equals("longconn");
    }

    /** The open platform base URL to use: {@link #baseUrl} if set, else the domain's. */
    public String openBaseUrl() {
        if (!baseUrl.isEmpty()) return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return domain.equals("lark") ? "https://open.larksuite.com" : "https://open.feishu.cn";
    }

    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        problems.require(
                !appId.isEmpty(),
                path + ".appId",
                "is missing: copy the App ID (cli_...) from the developer console, Credentials & Basic Info, or set"
                        + " FEISHU_APP_ID");
        problems.require(
                !appSecret.isEmpty(),
                path + ".appSecret",
                "is missing: set FEISHU_APP_SECRET or channels.feishu.appSecret (developer console, Credentials &"
                        + " Basic Info)");
        problems.require(DOMAINS.contains(domain), path + ".domain", "must be feishu or lark");
        problems.require(MODES.contains(mode), path + ".mode", "must be webhook or longconn");
        problems.require(
                baseUrl.isEmpty() || baseUrl.startsWith("https://") || baseUrl.startsWith("http://"),
                path + ".baseUrl",
                "must be an http(s) URL such as https://open.feishu.cn, or empty for the domain's");
        if (mode.equals("webhook")) {
            problems.require(
                    !verificationToken.isEmpty(),
                    path + ".verificationToken",
                    "is missing: webhook mode checks it on every callback; copy the Verification Token from Events &"
                            + " Callbacks > Encryption Strategy, or set FEISHU_VERIFICATION_TOKEN");
        }
        common.requireAllowFrom(path, "list the open_ids (ou_...) allowed to talk to the bot, or [\"*\"]", problems);
        problems.positive(timestampTolerance, path + ".timestampTolerance");
        problems.positive(retryBackoff, path + ".retryBackoff");
        problems.positive(botInfoRetry, path + ".botInfoRetry");
    }

    @Override
    public List<String> secrets() {
        return List.of(appSecret, verificationToken, encryptKey);
    }

    @Override
    public String toString() {
        return "FeishuSettings[appId=" + appId + ", appSecret=" + set(appSecret) + ", verificationToken="
                + set(verificationToken) + ", encryptKey=" + set(encryptKey) + ", domain=" + domain + ", baseUrl="
                + baseUrl + ", mode=" + mode + "]";
    }

    private static String set(String secret) {
        return secret.isEmpty() ? "<empty>" : "<set>";
    }
}
