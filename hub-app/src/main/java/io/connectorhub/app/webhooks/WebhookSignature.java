package io.connectorhub.app.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: secrets are {@code whsec_} + base64 of random bytes; a signature is {@code v1,} +
 * base64(HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")); a header holds one or more, space-separated.
 * Stateless and thread-safe.
 */
public final class WebhookSignature {
    public static final String PREFIX = "whsec_";
    /** How far a receiver (and the hub, for signed inbound hooks) accepts a timestamp from its clock. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret of 32 random bytes. */
    public static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /** {@code v1,<base64>} for one secret. */
    public static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The {@code webhook-signature} header value: one signature per secret, space-separated. */
    public static String header(List<String> secrets, String id, long timestamp, String body) {
        List<String> parts = new ArrayList<>();
        for (String s : secrets) parts.add(sign(s, id, timestamp, body));
        return String.join(" ", parts);
    }

    /**
     * True if one of the header's {@code v1} signatures matches {@code secret} and the timestamp is within
     * {@link #TOLERANCE} of {@code now}. Compares in constant time.
     */
    public static boolean verify(String secret, String id, String timestamp, String header, String body, Instant now) {
        if (id == null || timestamp == null || header == null) return false;
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE.toSeconds()) return false;
        byte[] expected = sign(secret, id, ts, body).getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String candidate : header.strip().split(" +")) {
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
