package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;

/**
 * How old a stored message or reply may be and still go out after an outage: older unanswered messages and unsent
 * replies are marked expired instead. Ages count from when the hub stored them; zero means no limit.
 */
public record RecoveryConfig(Duration maxMessageAge, Duration maxReplyAge) implements Section {
    @Override
    public void check(String path, Problems problems) {
        notNegative(maxMessageAge, path + ".maxMessageAge", problems);
        notNegative(maxReplyAge, path + ".maxReplyAge", problems);
    }

    private static void notNegative(Duration value, String path, Problems problems) {
        problems.require(
                value != null && !value.isNegative(), path, "must be a duration such as 1h, or 0 for no limit");
    }
}
