package io.connectorhub.core;

import java.util.Optional;

/**
 * Creates one kind of channel from the hub's configuration. Registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.connectorhub.core.ChannelFactory}), so the assembly has no per-channel code.
 *
 * @param <C> the configuration type the factory reads its section from
 */
public interface ChannelFactory<C> {
    /** The channel if {@code config} enables it, else empty. Must do no I/O: {@link BaseChannel#start()} does. */
    Optional<BaseChannel> create(C config, ChannelContext context);
}
