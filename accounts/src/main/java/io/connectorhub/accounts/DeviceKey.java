package io.connectorhub.accounts;

import io.connectorhub.core.HubException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A device's Ed25519 public key, written as the base64url of its raw 32 bytes (RFC 8032). Parsing refuses anything
 * but a point of the curve's prime-order group: the JDK alone would take a small-order key such as the neutral point,
 * for which a fixed signature verifies any message, so anyone could sign in as such a device. Immutable, thread-safe;
 * nothing in it is secret.
 */
public final class DeviceKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /** The DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String encoded;
    private final PublicKey key;

    private DeviceKey(String encoded, PublicKey key) {
        this.encoded = encoded;
        this.key = key;
    }

    /** The key written as {@code base64url}; throws {@link HubException} saying what is wrong with it. */
    public static DeviceKey parse(String base64url) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(base64url == null ? "" : base64url);
        } catch (IllegalArgumentException e) {
            throw invalid("it is not base64url");
        }
        if (raw.length != LENGTH) throw invalid("it has " + raw.length + " bytes");
        if (!Ed25519.validatePublicKeyFull(raw, 0)) throw invalid("it is not a point of the curve's prime-order group");
        byte[] der = new byte[X509_PREFIX.length + LENGTH];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, LENGTH);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            return new DeviceKey(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), key);
        } catch (GeneralSecurityException e) {
            throw invalid("the JDK refuses it (" + e.getMessage() + ")");
        }
    }

    /** The key as base64url of the raw 32 bytes, without padding (the same for every way it was written). */
    public String encoded() {
        return encoded;
    }

    /** Whether {@code signature} (64 bytes) is this key's Ed25519 signature of {@code message}. */
    public boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) return false;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot verify Ed25519 signatures", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceKey other && encoded.equals(other.encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceKey[" + encoded + "]";
    }

    private static HubException invalid(String why) {
        return new HubException("the device public key is not an Ed25519 public key (" + why
                + "): give the base64url of its raw " + LENGTH + " bytes");
    }
}
