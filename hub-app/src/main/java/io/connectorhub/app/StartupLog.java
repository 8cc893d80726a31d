package io.connectorhub.app;

import io.connectorhub.agent.Agents;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.PlatformWebhook;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.internal.HubRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a started hub tells its operator, one line each and never a secret: {@code Channels: websocket (running),
 * telegram (running, polling)}, {@code Agents: builtin (builtin), gpt (openai, gpt-4o-mini at
 * https://api.openai.com/v1)}, {@code Routing: default builtin, 2 bindings}; and a warning for a
 * {@code HUB_LOG_FORMAT} that is no log format.
 */
final class StartupLog {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");

    private StartupLog() {}

    /** @param logFormat the value of {@code HUB_LOG_FORMAT}, or null */
    static void write(HubConfig config, HubRuntime runtime, String logFormat) {
        if (logFormat != null && !logFormat.isEmpty() && !LOG_FORMATS.contains(logFormat))
            log.warn("HUB_LOG_FORMAT={} is not a log format; logging text lines (set json or text)", logFormat);
        log.info("Channels: {}", channels(runtime));
        log.info("Agents: {}", Agents.describe(config.agents()));
        log.info("Routing: {}", Agents.describe(config.routing()));
    }

    /** Each channel with its state and, for one a platform can push to, its mode (polling, webhook, longconn). */
    static String channels(HubRuntime runtime) {
        List<String> parts = new ArrayList<>();
        for (ChannelStatus s : runtime.channels().statuses()) {
            String mode = "";
            if (runtime.channels().channel(s.name()) instanceof PlatformWebhook p) {
                try {
                    mode = ", " + p.webhookStatus().mode();
                } catch (RuntimeException e) {
                    mode = ", mode unknown: " + e.getMessage();
                }
            }
            parts.add(s.name() + " (" + s.state().label() + mode + ")");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
