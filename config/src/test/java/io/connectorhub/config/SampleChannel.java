package io.connectorhub.config;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.net.URL;
import java.time.Duration;
import java.util.List;

/**
 * A channel module for the loader's tests, with any name, defaults resource (of this package) and group chats; it is
 * configured, never created.
 */
record SampleChannel(String name, String defaultsResource, boolean hasGroups)
        implements ChannelFactory<SampleChannel.Settings> {
    /** {@code sample.yaml}, with group chats. */
    static SampleChannel named(String name) {
        return new SampleChannel(name, "sample.yaml", true);
    }

    record Settings(String token, List<Key> keys, Duration every) implements ChannelSettings {
        record Key(String name, int weight) {}

        @Override
        public void check(String path, CommonChannelSettings common, Problems problems) {
            problems.require(!token.isEmpty(), path + ".token", "is missing: set SAMPLE_TOKEN");
            problems.positive(every, path + ".every");
            common.requireAllowFrom(path, "list the senders", problems);
        }
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public URL defaults() {
        return SampleChannel.class.getResource(defaultsResource);
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, Settings settings, ChannelContext context) {
        throw new UnsupportedOperationException("the loader's tests create no channel");
    }
}
