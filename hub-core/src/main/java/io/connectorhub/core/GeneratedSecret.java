package io.connectorhub.core;

import io.connectorhub.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret the hub generates on first run when none is configured (the WebSocket token, the admin token): kept in
 * a file readable by its owner only, and shown on the console once, when it is created. Never logged.
 */
public final class GeneratedSecret {
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecret() {}

    /**
     * The secret stored in {@code file}, or a new one written there and printed to {@code console} with
     * {@code label} and {@code configKey} (where to set one instead); with {@code console} null, nothing is printed
     * (for secrets only the hub and a platform exchange, which nobody types in).
     */
    public static String loadOrCreate(Path file, String label, String configKey, PrintStream console) {
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!existing.isEmpty()) return existing;
            }
            String secret = random(32);
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
            OwnerOnly.writeString(file, secret + "\n");
            if (console != null) {
                console.println("Generated the " + label + " and saved it to " + file + " (shown this once):");
                console.println("  " + secret);
                console.println("Set " + configKey + " in hub.yaml to choose your own.");
            }
            return secret;
        } catch (IOException e) {
            throw new HubException(
                    "cannot read or write " + file + ": " + e.getMessage() + "; set " + configKey
                            + " in hub.yaml, or make store.dataDir writable",
                    e);
        }
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes: how the hub stores tokens it must recognise but not show. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Compares secrets in time independent of where they differ; null never matches. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || presented == null || expected.isEmpty()) return false;
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
