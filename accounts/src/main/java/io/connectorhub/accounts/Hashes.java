package io.connectorhub.accounts;

import io.connectorhub.core.GeneratedSecret;
import java.util.Base64;

/** How secrets that must be recognised but never shown again are stored: SHA-256, base64url without padding. */
final class Hashes {
    private Hashes() {}

    static String sha256(String secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(GeneratedSecret.sha256(secret));
    }
}
