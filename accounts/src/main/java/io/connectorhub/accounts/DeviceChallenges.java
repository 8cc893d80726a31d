package io.connectorhub.accounts;

import io.connectorhub.core.GeneratedSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;

/**
 * Password-less sign-in of a registered device: {@link #issue} hands out a random nonce for one device, valid {@link
 * #VALIDITY} and good for one answer; {@link #verify} takes it back with the device's Ed25519 signature over the UTF-8
 * bytes of {@value #SIGNED_PREFIX} + device id + {@code :} + nonce. Whether the device still exists is the caller's
 * business. Thread-safe.
 */
public final class DeviceChallenges {
    public static final Duration VALIDITY = Duration.ofSeconds(60);
    public static final String SIGNED_PREFIX = "connector-hub-device-login:";

    private static final int NONCE_BYTES = 32;

    /** A challenge for a device: sign {@link #signedMessage} for {@code nonce} before {@code expiresAt}. */
    public record Challenge(String nonce, Instant expiresAt) {}

    /** The outcome of a {@link #verify}; only {@code SIGNED} signs in, the rest get the same answer. */
    public enum Check {
        SIGNED,
        /** Never issued, already answered (a replay) or dropped. */
        UNKNOWN_NONCE,
        EXPIRED,
        /** Issued to another device. */
        OTHER_DEVICE,
        BAD_SIGNATURE
    }

    private final DeviceNonces nonces;
    private final InstantSource clock;

    public DeviceChallenges(DeviceNonces nonces, InstantSource clock) {
        this.nonces = nonces;
        this.clock = clock;
    }

    /** A new challenge for device {@code deviceId}. */
    public Challenge issue(String deviceId) {
        Challenge challenge = new Challenge(
                GeneratedSecret.random(NONCE_BYTES), clock.instant().plus(VALIDITY));
        nonces.put(challenge.nonce(), new DeviceNonces.Pending(deviceId, challenge.expiresAt()));
        return challenge;
    }

    /**
     * Whether {@code signature} (base64url of 64 bytes) is {@code key}'s signature for {@code nonce}, issued to {@code
     * deviceId} and not expired. The nonce is used up by any answer, right or wrong.
     */
    public Check verify(String deviceId, DeviceKey key, String nonce, String signature) {
        DeviceNonces.Pending pending = nonce == null ? null : nonces.take(nonce).orElse(null);
        if (pending == null) return Check.UNKNOWN_NONCE;
        if (!pending.expiresAt().isAfter(clock.instant())) return Check.EXPIRED;
        if (!pending.deviceId().equals(deviceId)) return Check.OTHER_DEVICE;
        if (signature == null) return Check.BAD_SIGNATURE;
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return Check.BAD_SIGNATURE;
        }
        return key.verifies(signedMessage(deviceId, nonce), bytes) ? Check.SIGNED : Check.BAD_SIGNATURE;
    }

    /** The bytes a device signs to answer {@code nonce}. */
    public static byte[] signedMessage(String deviceId, String nonce) {
        return (SIGNED_PREFIX + deviceId + ":" + nonce).getBytes(StandardCharsets.UTF_8);
    }
}
