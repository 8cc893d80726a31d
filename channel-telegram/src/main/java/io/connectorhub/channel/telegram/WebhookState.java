package io.connectorhub.channel.telegram;

import io.connectorhub.core.GeneratedSecrets;
import io.connectorhub.core.HubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What survives a restart about the webhook: the secret Telegram must send back (the generated secret {@code
 * telegram-webhook.secret}) and the URL registered through the admin API ({@code telegram-webhook.url}). Thread-safe.
 */
final class WebhookState {
    private static final String SECRET = "telegram-webhook.secret";

    private final GeneratedSecrets secrets;
    private final Path urlFile;

    WebhookState(Path dataDir, GeneratedSecrets secrets) {
        this.secrets = secrets;
        this.urlFile = dataDir.resolve("telegram-webhook.url");
    }

    /** The stored secret, or a new one stored now. */
    synchronized String secret() {
        return secrets.loadOrCreate(SECRET, "Telegram webhook secret", "channels.telegram.webhookSecret", null);
    }

    /** The URL registered through the admin API, or empty. */
    synchronized String registeredUrl() {
        return read(urlFile);
    }

    synchronized void registered(String url) {
        if (url == null) {
            try {
                Files.deleteIfExists(urlFile);
            } catch (IOException e) {
                throw new HubException("cannot delete " + urlFile + ": " + e.getMessage() + "; delete it by hand", e);
            }
        } else {
            write(urlFile, url);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).strip()
                    : "";
        } catch (IOException e) {
            throw new HubException("cannot read " + file + ": " + e.getMessage() + "; make store.dataDir readable", e);
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HubException("cannot write " + file + ": " + e.getMessage() + "; make store.dataDir writable", e);
        }
    }
}
