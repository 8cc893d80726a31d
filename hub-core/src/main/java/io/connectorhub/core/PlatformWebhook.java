package io.connectorhub.core;

/**
 * Implemented by channels whose platform can push updates to a URL of the hub (Telegram, Feishu), so admins can
 * see and change the registration through the admin API. Implementations are thread-safe.
 */
public interface PlatformWebhook {
    /** Where the platform delivers now, without secrets. */
    record Status(String mode, String url, boolean verified, String lastError) {}

    Status webhookStatus();

    /**
     * Asks the platform to deliver to {@code publicUrl} (which must reach this hub's webhook route). Throws
     * {@link UnsupportedOperationException} with the manual steps if the platform only allows this in its console.
     * If the platform refuses or fails the change, the channel receives as it did before and throws, its message (and
     * the status's {@code lastError}) saying what the platform answered, without secrets.
     */
    void registerWebhook(String publicUrl) throws Exception;

    /** Stops webhook delivery (and resumes polling, where the platform has it); fails as {@link #registerWebhook}. */
    void unregisterWebhook() throws Exception;
}
