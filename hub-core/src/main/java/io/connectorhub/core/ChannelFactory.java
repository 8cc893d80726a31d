package io.connectorhub.core;

import java.net.URL;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * One kind of channel: its name, its settings under {@code channels.<name>} with their defaults, and how to create it.
 * Registered with {@link java.util.ServiceLoader} ({@code META-INF/services/io.connectorhub.core.ChannelFactory}), so
 * neither the configuration nor the assembly has per-channel code. Implementations are stateless and thread-safe.
 *
 * @param <S> the channel's own settings record
 */
public interface ChannelFactory<S extends ChannelSettings> {
    /**
     * The channel's name: its key under {@code channels} in {@code hub.yaml} and its {@link BaseChannel#name()}, e.g.
     * {@code telegram}; a letter, then letters and digits.
     */
    String name();

    /** The record {@code channels.<name>} is bound to, without the {@link CommonChannelSettings common keys}. */
    Class<S> settingsType();

    /**
     * This module's YAML resource with the section's defaults: every key of the section, the common ones included,
     * at the top level and each with a comment ({@code ./hub config defaults} prints it under {@code channels.<name>}).
     * Default: {@code defaults.yaml} in the factory's package.
     */
    default URL defaults() {
        return getClass().getResource("defaults.yaml");
    }

    /** Whether the platform has group chats, so the section takes {@code groupPolicy}. Default: no. */
    default boolean hasGroups() {
        return false;
    }

    /**
     * The channel of an enabled section whose settings passed their {@link ChannelSettings#check check}. Must do no
     * I/O: {@link BaseChannel#start()} does.
     */
    BaseChannel create(CommonChannelSettings common, S settings, ChannelContext context);

    /**
     * Checks the credentials in {@code settings} live, with one cheap read-only call to the platform, for
     * {@code ./hub doctor}: called for an enabled channel, without a running hub. Never throws; the result names no
     * secret. Default: no check.
     */
    default Optional<CredentialCheck> checkCredentials(S settings, OkHttpClient http) {
        return Optional.empty();
    }
}
