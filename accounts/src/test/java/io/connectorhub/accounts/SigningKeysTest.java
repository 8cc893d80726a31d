package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import io.connectorhub.core.HubException;
import io.connectorhub.core.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    private final TestTime time = new TestTime();
    private final MemorySigningKeyStore store = new MemorySigningKeyStore();

    @Test
    void generatesAP256KeyOnFirstRunAndSavesIt() throws Exception {
        SigningKeys keys = SigningKeys.loadOrCreate(store, time);

        JWKSet saved = JWKSet.parse(store.load().orElseThrow());
        assertEquals(1, saved.size());
        var key = saved.getKeys().getFirst().toECKey();
        assertEquals("P-256", key.getCurve().getName());
        assertTrue(key.isPrivate());
        assertEquals(keys.currentKeyId(), key.getKeyID());
    }

    @Test
    void loadsTheSavedKeyOnTheNextRun() {
        String first = SigningKeys.loadOrCreate(store, time).currentKeyId();
        String saved = store.load().orElseThrow();

        assertEquals(first, SigningKeys.loadOrCreate(store, time).currentKeyId());
        assertEquals(saved, store.load().orElseThrow());
    }

    @Test
    void rotationSignsWithANewKeyAndKeepsTheOldOneUntilItsTokensExpired() {
        SigningKeys keys = SigningKeys.loadOrCreate(store, time);
        String old = keys.currentKeyId();

        keys.rotate(Duration.ofMinutes(16));

        assertEquals(2, keys.keyIds().size());
        assertFalse(keys.currentKeyId().equals(old));
        assertEquals(List.of(keys.currentKeyId(), old), keys.keyIds());
        assertEquals(keys.keyIds(), SigningKeys.loadOrCreate(store, time).keyIds());

        time.advance(Duration.ofMinutes(15));
        assertEquals(keys.keyIds(), SigningKeys.loadOrCreate(store, time).keyIds());

        time.advance(Duration.ofMinutes(1));
        SigningKeys later = SigningKeys.loadOrCreate(store, time);
        assertEquals(List.of(keys.currentKeyId()), later.keyIds());
        later.rotate(Duration.ofMinutes(16));
        assertFalse(later.keyIds().contains(old));
    }

    @Test
    void refusesAStoreThatHoldsNoKeysWithoutQuotingIt() {
        String message = refusal("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3Qtc2hvdw\"}]}");

        assertTrue(message.contains("signing keys in memory are not private P-256"), message);
        assertTrue(message.contains("delete it to generate a new key"), message);
        assertFalse(message.contains("c2VjcmV0"), message);
    }

    @Test
    void refusesAStoreThatIsNotJson() {
        String message = refusal("{\"keys\":[{\"d\":\"secret-part");

        assertTrue(message.contains("are not a JWK set"), message);
        assertFalse(message.contains("secret-part"), message);
    }

    @Test
    void neverShowsOrLogsThePrivateKey() throws Exception {
        SigningKeys keys;
        try (LogCapture logs = new LogCapture()) {
            keys = SigningKeys.loadOrCreate(store, time);
            keys.rotate(Duration.ofMinutes(16));
            String privatePart = JWKSet.parse(store.load().orElseThrow())
                    .getKeys()
                    .getFirst()
                    .toECKey()
                    .getD()
                    .toString();

            assertFalse(keys.toString().contains(privatePart));
            assertTrue(
                    logs.messages().stream().noneMatch(line -> line.contains(privatePart)), logs.messages()::toString);
            assertTrue(logs.messages().stream().anyMatch(line -> line.contains(keys.currentKeyId())));
        }
    }

    @Test
    void keepsTheKeysInAFileOnlyItsOwnerCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("signing-keys.json");
        SigningKeyFile keyFile = new SigningKeyFile(file);

        String kid = SigningKeys.loadOrCreate(keyFile, time).currentKeyId();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(
                kid, SigningKeys.loadOrCreate(new SigningKeyFile(file), time).currentKeyId());
        assertFalse(Files.exists(dir.resolve("data").resolve("signing-keys.json.tmp")));
    }

    @Test
    void keyFileOpenToOthersIsRestrictedWhenRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("signing-keys.json");
        SigningKeys.loadOrCreate(new SigningKeyFile(file), time);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SigningKeys.loadOrCreate(new SigningKeyFile(file), time);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** The message of the refusal to load {@code stored}. */
    private String refusal(String stored) {
        store.save(stored);
        return assertThrows(HubException.class, () -> SigningKeys.loadOrCreate(store, time))
                .getMessage();
    }
}
