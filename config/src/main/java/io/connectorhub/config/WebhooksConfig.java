package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * Outbound webhooks (event subscriptions) and inbound hooks ({@code POST /hooks/{id}}).
 *
 * @param allowPrivateTargets deliver to URLs that resolve to loopback, link-local or private addresses (off: SSRF)
 * @param timeout connect and read timeout of one delivery attempt
 * @param maxAttempts attempts per delivery, following the schedule: at once, 5s, 5m, 30m, 2h, 5h, 10h, 10h
 * @param disableAfter an endpoint whose deliveries have failed without a success for this long is disabled
 * @param rotationGrace how long the previous secret still signs after a rotation
 * @param hooksAllowFrom sender ids the inbound hooks channel accepts; each hook's token is the gate
 */
public record WebhooksConfig(
        boolean allowPrivateTargets,
        Duration timeout,
        int maxAttempts,
        Duration disableAfter,
        Duration rotationGrace,
        List<String> hooksAllowFrom)
        implements Section {
    /** Delay before attempt 2, 3, ...: the Standard Webhooks example schedule. */
    public static final List<Duration> RETRY_SCHEDULE = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    public WebhooksConfig {
        hooksAllowFrom = hooksAllowFrom == null ? List.of() : List.copyOf(hooksAllowFrom);
    }

    @Override
    public void check(String path, Problems problems) {
        problems.positive(timeout, path + ".timeout");
        problems.range(maxAttempts, 1, RETRY_SCHEDULE.size() + 1, path + ".maxAttempts");
        problems.positive(disableAfter, path + ".disableAfter");
        problems.require(
                rotationGrace != null && !rotationGrace.isNegative(),
                path + ".rotationGrace",
                "must be a duration such as 24h (0s ends the old secret at once)");
        problems.require(
                !hooksAllowFrom.isEmpty(),
                path + ".hooksAllowFrom",
                "is empty, so no inbound hook could reach the agent: use [\"*\"] (each hook's token is the gate)"
                        + " or list sender ids");
    }
}
