package io.connectorhub.app.doctor;

import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.HubConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes the configuration's secrets (tokens, API keys, app secrets) from text that is about to be shown, and
 * anything shaped like a Telegram bot token (which travels in Telegram's URLs). Immutable.
 */
final class Scrubber {
    private static final Pattern BOT_TOKEN = Pattern.compile("\\d{5,}:[A-Za-z0-9_-]{20,}");

    private final List<String> secrets;

    Scrubber(HubConfig config) {
        var ch = config.channels();
        List<String> all = new ArrayList<>(List.of(
                ch.telegram().token(),
                ch.telegram().webhookSecret(),
                ch.discord().token(),
                ch.feishu().appSecret(),
                ch.feishu().verificationToken(),
                ch.feishu().encryptKey(),
                ch.websocket().token()));
        config.agents().values().stream().map(AgentConfig::apiKey).forEach(all::add);
        config.admin().tokens().stream().map(AdminConfig.TokenConfig::token).forEach(all::add);
        this.secrets = all.stream()
                .filter(s -> s != null && s.length() >= 4)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String scrub(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) out = out.replace(s, "***");
        return BOT_TOKEN.matcher(out).replaceAll("***");
    }
}
