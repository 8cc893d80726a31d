package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceKeyTest {
    static KeyPair newKeyPair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** The raw 32 bytes of a JDK Ed25519 public key, base64url: what a device registers. */
    static String raw(KeyPair pair) {
        byte[] der = pair.getPublic().getEncoded();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    static byte[] sign(KeyPair pair, byte[] message) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(message);
        return signer.sign();
    }

    @Test
    void parsesTheRawKeyOfAJdkKeyPairAndVerifiesItsSignatures() throws Exception {
        KeyPair pair = newKeyPair();
        DeviceKey key = DeviceKey.parse(raw(pair));
        byte[] message = "hello".getBytes();

        assertEquals(raw(pair), key.encoded());
        assertTrue(key.verifies(message, sign(pair, message)));
        assertFalse(key.verifies("hellO".getBytes(), sign(pair, message)));
        assertFalse(key.verifies(message, sign(newKeyPair(), message)));
        assertFalse(key.verifies(message, new byte[12]));
    }

    @Test
    void acceptsPaddingAndWritesTheKeyWithout() throws Exception {
        KeyPair pair = newKeyPair();

        assertEquals(DeviceKey.parse(raw(pair)), DeviceKey.parse(raw(pair) + "="));
        assertEquals(raw(pair), DeviceKey.parse(raw(pair) + "=").encoded());
    }

    @Test
    void refusesWhatIsNotBase64urlOrNot32Bytes() {
        assertRefused("not base64!", "it is not base64url");
        assertRefused("abc/def+", "it is not base64url");
        assertRefused(Base64.getUrlEncoder().encodeToString(new byte[31]), "it has 31 bytes");
        assertRefused(Base64.getUrlEncoder().encodeToString(new byte[33]), "it has 33 bytes");
        assertRefused("", "it has 0 bytes");
        assertRefused(null, "it has 0 bytes");
    }

    @Test
    void refusesSmallOrderKeysForWhichAForgedSignatureVerifiesAnyMessage() {
        String neutral = encode("0100000000000000000000000000000000000000000000000000000000000000");
        String orderFour = encode("0000000000000000000000000000000000000000000000000000000000000000");
        String orderEight = encode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");

        for (String key : new String[] {neutral, orderFour, orderEight}) {
            assertRefused(key, "not a point of the curve's prime-order group");
        }
    }

    @Test
    void refusesBytesThatAreNoPointOfTheCurve() {
        String notCanonical = encode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        String offCurve = encode("0200000000000000000000000000000000000000000000000000000000000000");

        assertRefused(notCanonical, "not a point");
        assertRefused(offCurve, "not a point");
    }

    private static String encode(String hex) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(HexFormat.of().parseHex(hex));
    }

    private static void assertRefused(String key, String why) {
        HubException e = assertThrows(HubException.class, () -> DeviceKey.parse(key));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("give the base64url of its raw 32 bytes"), e.getMessage());
    }
}
