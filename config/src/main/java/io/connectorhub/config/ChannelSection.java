package io.connectorhub.config;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.CredentialCheck;
import io.connectorhub.core.Problems;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * One installed channel's section, {@code channels.<name>}: the factory of the module it belongs to, the keys all
 * channels share, and the channel's own settings. Immutable.
 */
public record ChannelSection<S extends ChannelSettings>(
        ChannelFactory<S> factory, CommonChannelSettings common, S settings) {
    public String name() {
        return factory.name();
    }

    public boolean enabled() {
        return common.enabled();
    }

    /** The channel's own checks, for an enabled channel; {@code path} is {@code channels.<name>}. */
    void check(String path, Problems problems) {
        if (enabled()) settings.check(path, common, problems);
    }

    /** The channel of this enabled section; does no I/O. */
    public BaseChannel create(ChannelContext context) {
        if (!enabled()) throw new IllegalStateException("channels." + name() + " is not enabled");
        return factory.create(common, settings, context);
    }

    /** The module's live check of the credentials, if it has one; see {@link ChannelFactory#checkCredentials}. */
    public Optional<CredentialCheck> checkCredentials(OkHttpClient http) {
        return factory.checkCredentials(settings, http);
    }

    @Override
    public String toString() {
        return "ChannelSection[" + name() + ", " + common + ", " + settings + "]";
    }
}
