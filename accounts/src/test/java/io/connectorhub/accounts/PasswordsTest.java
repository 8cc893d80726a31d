package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    /** Cheap enough for unit tests; the real cost is checked once below. */
    private static final Argon2Cost CHEAP = new Argon2Cost(64, 1, 1);

    private final Passwords passwords = new Passwords(CHEAP, 2, Duration.ofSeconds(10));

    @Test
    void hashesAsAnArgon2idPhcStringThatCarriesItsCost() {
        String stored = passwords.hash("correct horse battery");

        assertTrue(stored.matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), stored);
    }

    @Test
    void verifiesTheRightPasswordAndRefusesAWrongOne() {
        String stored = passwords.hash("correct horse battery");

        assertEquals(Passwords.Check.MATCH, passwords.verify("correct horse battery", stored));
        assertEquals(Passwords.Check.MISMATCH, passwords.verify("correct horse batterY", stored));
    }

    @Test
    void saltsEveryHashAnew() {
        assertNotEquals(passwords.hash("correct horse battery"), passwords.hash("correct horse battery"));
    }

    @Test
    void verifiesAHashMadeByTheArgon2ReferenceImplementation() {
        // From the test vectors of the reference implementation (phc-winner-argon2, test.c): "password", "somesalt".
        String stored = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertEquals(Passwords.Check.MATCH, passwords.verify("password", stored));
    }

    @Test
    void defaultCostIsOwaspsAndAnOlderCostStillVerifiesButAsksForARehash() {
        Passwords current = new Passwords(Argon2Cost.OWASP, 1, Duration.ofSeconds(10));
        String old = passwords.hash("correct horse battery");
        String fresh = current.hash("correct horse battery");

        assertTrue(fresh.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), fresh);
        assertEquals(Passwords.Check.MATCH, current.verify("correct horse battery", old));
        assertTrue(current.needsRehash(old));
        assertFalse(current.needsRehash(fresh));
    }

    @Test
    void unknownUserNeverMatchesAndGoesThroughTheSameHashing() throws Exception {
        assertEquals(Passwords.Check.MISMATCH, passwords.verifyUnknownUser("correct horse battery"));
        assertEquals(Passwords.Check.MISMATCH, passwords.verifyUnknownUser(""));

        Semaphore held = new Semaphore(1);
        held.acquire();
        assertEquals(
                Passwords.Check.BUSY,
                new Passwords(CHEAP, held, Duration.ofMillis(20)).verifyUnknownUser("correct horse battery"));
    }

    @Test
    void callerWaitsABoundedTimeForAPermitThenHearsBusy() throws Exception {
        Semaphore permits = new Semaphore(1);
        Passwords gated = new Passwords(CHEAP, permits, Duration.ofMillis(50));
        String stored = gated.hash("correct horse battery");
        permits.acquire(); // another sign-in is hashing

        assertEquals(Passwords.Check.BUSY, gated.verify("correct horse battery", stored));
        assertThrows(Passwords.BusyException.class, () -> gated.hash("correct horse battery"));
    }

    @Test
    void waitingCallerGoesOnOnceAPermitIsFree() throws Exception {
        Semaphore permits = new Semaphore(1);
        Passwords gated = new Passwords(CHEAP, permits, Duration.ofSeconds(30));
        String stored = gated.hash("correct horse battery");
        permits.acquire();
        CompletableFuture<Passwords.Check> waiting =
                CompletableFuture.supplyAsync(() -> gated.verify("correct horse battery", stored));

        permits.release();

        assertEquals(Passwords.Check.MATCH, waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void overlongPasswordNeverMatchesAndIsNotHashed() {
        String overlong = "a".repeat(PasswordPolicy.MAX_LENGTH + 1);
        String stored = passwords.hash("a".repeat(PasswordPolicy.MAX_LENGTH));

        assertEquals(Passwords.Check.MISMATCH, passwords.verify(overlong, stored));
        assertThrows(IllegalArgumentException.class, () -> passwords.hash(overlong));
    }

    @Test
    void refusesAStoredHashItCannotReadWithoutQuotingIt() {
        String stored = "$2b$12$notAnArgon2HashAtAllButBcrypt";

        HubException e = assertThrows(HubException.class, () -> passwords.verify("correct horse battery", stored));

        assertFalse(e.getMessage().contains(stored), e.getMessage());
        assertTrue(e.getMessage().contains("reset that user's password"), e.getMessage());
        assertTrue(passwords.needsRehash(stored));
    }
}
