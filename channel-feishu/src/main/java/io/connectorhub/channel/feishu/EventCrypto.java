package io.connectorhub.channel.feishu;

import com.lark.oapi.core.utils.Decryptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Feishu's callback security: the {@code X-Lark-Signature} (hex SHA-256 of timestamp + nonce + encrypt key + raw
 * body), compared in constant time, and the decryption of {@code {"encrypt": ...}} bodies (AES-256-CBC, key =
 * SHA-256 of the encrypt key, IV = first 16 bytes), done by the SDK's {@link Decryptor}. Stateless.
 */
final class EventCrypto {
    private EventCrypto() {}

    /** The signature Feishu sends for this request, as lower-case hex. */
    static String signature(String timestamp, String nonce, String encryptKey, byte[] body) {
        MessageDigest sha256 = sha256();
        sha256.update((timestamp + nonce + encryptKey).getBytes(StandardCharsets.UTF_8));
        sha256.update(body);
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The plain JSON of an {@code encrypt} field; throws {@link IllegalArgumentException} if it does not decrypt. */
    static String decrypt(String encryptKey, String encrypted) {
        try {
            // The SDK's Decryptor holds a Cipher and is not thread-safe: one per call.
            return new Decryptor(encryptKey).decrypt(encrypted).strip();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the encrypted body does not decrypt with channels.feishu.encryptKey");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
