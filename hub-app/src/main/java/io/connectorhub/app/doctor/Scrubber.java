package io.connectorhub.app.doctor;

import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.store.PostgresUrl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes the configuration's secrets (those each channel's settings name, agents' API keys, admin tokens, the
 * password in {@code store.url}) from text that is about to be shown, and anything shaped like a Telegram bot token
 * (which travels in Telegram's URLs). Immutable.
 */
public final class Scrubber {
    private static final Pattern BOT_TOKEN = Pattern.compile("\\d{5,}:[A-Za-z0-9_-]{20,}");

    private final List<String> secrets;

    public Scrubber(HubConfig config) {
        List<String> all = new ArrayList<>();
        for (ChannelSection<?> channel : config.channels().sections())
            all.addAll(channel.settings().secrets());
        config.agents().values().stream().map(AgentConfig::apiKey).forEach(all::add);
        config.admin().tokens().stream().map(AdminConfig.TokenConfig::token).forEach(all::add);
        if (config.store().postgres())
            all.add(PostgresUrl.parse(config.store().url().strip(), "store.url").password());
        this.secrets = all.stream()
                .filter(s -> s != null && s.length() >= 4)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String scrub(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) out = out.replace(s, "***");
        return BOT_TOKEN.matcher(out).replaceAll("***");
    }
}
