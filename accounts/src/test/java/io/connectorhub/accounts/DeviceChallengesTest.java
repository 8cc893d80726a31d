package io.connectorhub.accounts;

import static io.connectorhub.accounts.DeviceKeyTest.newKeyPair;
import static io.connectorhub.accounts.DeviceKeyTest.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DeviceChallengesTest {
    private final TestTime time = new TestTime();
    private final DeviceChallenges challenges = new DeviceChallenges(new InMemoryDeviceNonces(100, time), time);

    @Test
    void deviceSignsInWithItsSignatureOverPrefixDeviceIdAndNonce() throws Exception {
        DeviceChallenges.Challenge challenge = challenges.issue("dev-1");

        assertEquals(time.instant().plus(Duration.ofSeconds(60)), challenge.expiresAt());
        assertTrue(challenge.nonce().matches("[A-Za-z0-9_-]{43}"), challenge.nonce());
        assertEquals(DeviceChallenges.Check.SIGNED, answer("dev-1", newKeyPair(), challenge.nonce()));
    }

    @Test
    void nonceWorksOnceSoAReplayIsRefused() throws Exception {
        KeyPair pair = newKeyPair();
        DeviceChallenges.Challenge challenge = challenges.issue("dev-1");

        assertEquals(DeviceChallenges.Check.SIGNED, answer("dev-1", pair, challenge.nonce()));
        assertEquals(DeviceChallenges.Check.UNKNOWN_NONCE, answer("dev-1", pair, challenge.nonce()));
    }

    @Test
    void expiredNonceIsRefused() throws Exception {
        DeviceChallenges.Challenge challenge = challenges.issue("dev-1");
        time.advance(Duration.ofSeconds(60));

        assertEquals(DeviceChallenges.Check.EXPIRED, answer("dev-1", newKeyPair(), challenge.nonce()));
    }

    @Test
    void anotherDevicesNonceIsRefusedEvenWithAGoodSignature() throws Exception {
        DeviceChallenges.Challenge forOther = challenges.issue("dev-2");

        assertEquals(DeviceChallenges.Check.OTHER_DEVICE, answer("dev-1", newKeyPair(), forOther.nonce()));
    }

    @Test
    void badSignaturesAreRefusedAndUseTheNonceUp() throws Exception {
        KeyPair pair = newKeyPair();
        KeyPair other = newKeyPair();
        DeviceKey key = DeviceKey.parse(raw(pair));
        List<Function<String, String>> wrong = List.of(
                nonce -> signature(other, "connector-hub-device-login:dev-1:" + nonce), // another key
                nonce -> signature(pair, "connector-hub-device-login:dev-2:" + nonce), // another device id
                nonce -> signature(pair, nonce), // without the prefix
                nonce -> "not base64!",
                nonce -> Base64.getUrlEncoder().encodeToString(new byte[64]),
                nonce -> null);
        for (Function<String, String> signature : wrong) {
            DeviceChallenges.Challenge challenge = challenges.issue("dev-1");

            assertEquals(
                    DeviceChallenges.Check.BAD_SIGNATURE,
                    challenges.verify("dev-1", key, challenge.nonce(), signature.apply(challenge.nonce())));
            String good = signature(pair, "connector-hub-device-login:dev-1:" + challenge.nonce());
            assertEquals(
                    DeviceChallenges.Check.UNKNOWN_NONCE, challenges.verify("dev-1", key, challenge.nonce(), good));
        }
    }

    @Test
    void unknownNonceIsRefused() throws Exception {
        KeyPair pair = newKeyPair();

        assertEquals(DeviceChallenges.Check.UNKNOWN_NONCE, answer("dev-1", pair, "made-up"));
        assertEquals(
                DeviceChallenges.Check.UNKNOWN_NONCE,
                challenges.verify("dev-1", DeviceKey.parse(raw(pair)), null, "x"));
    }

    @Test
    void everyChallengeHasItsOwnNonce() {
        assertNotEquals(
                challenges.issue("dev-1").nonce(), challenges.issue("dev-1").nonce());
    }

    /** Device {@code deviceId}, holding {@code pair}, answers {@code nonce} as it should. */
    private DeviceChallenges.Check answer(String deviceId, KeyPair pair, String nonce) {
        return challenges.verify(
                deviceId,
                DeviceKey.parse(raw(pair)),
                nonce,
                signature(pair, "connector-hub-device-login:" + deviceId + ":" + nonce));
    }

    private static String signature(KeyPair pair, String message) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(DeviceKeyTest.sign(pair, message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
