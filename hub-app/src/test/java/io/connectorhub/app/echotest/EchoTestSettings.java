package io.connectorhub.app.echotest;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.time.Duration;

/**
 * The echo test channel's own settings ({@code channels.echoTest}).
 *
 * @param greeting put before every reply
 * @param maxLength the longest text the route takes
 * @param replyTimeout how long the route waits for the reply
 */
public record EchoTestSettings(String greeting, int maxLength, Duration replyTimeout) implements ChannelSettings {
    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        problems.require(!greeting.isBlank(), path + ".greeting", "is empty: set the words put before each reply");
        problems.range(maxLength, 1, 10_000, path + ".maxLength");
        problems.positive(replyTimeout, path + ".replyTimeout");
        common.requireAllowFrom(path, "list the senders, or use [\"*\"]", problems);
    }
}
