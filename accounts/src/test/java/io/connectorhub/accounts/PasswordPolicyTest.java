package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void refusesFewerThanTenCharactersAndSaysHowManyAreNeeded() {
        assertEquals(Optional.of("password is too short (9 characters): use at least 10"), policy.problem("k7mqx2pa9"));
        assertEquals(Optional.empty(), policy.problem("k7mqx2pa9f"));
    }

    @Test
    void countsCharactersNotUtf16Units() {
        String tenEmoji = "🐈".repeat(10);

        assertEquals(Optional.empty(), policy.problem(tenEmoji));
        assertTrue(policy.problem("🐈".repeat(5)).orElseThrow().contains("too short (5 characters)"));
    }

    @Test
    void refusesMoreThanTheMaximumThatBoundsHashing() {
        assertEquals(Optional.empty(), policy.problem("x".repeat(1024)));
        assertEquals(
                Optional.of("password is too long (1025 characters): use at most 1024"),
                policy.problem("x".repeat(1025)));
    }

    @Test
    void refusesMissingPassword() {
        assertEquals(Optional.of("password is missing"), policy.problem(null));
        assertEquals(Optional.of("password is missing"), policy.problem(""));
    }

    @Test
    void refusesCommonPasswordsWhateverTheirCase() {
        for (String common : new String[] {"qwertyuiop", "1234567890", "Password123", "MANCHESTER", "tinkerbell"}) {
            assertEquals(
                    Optional.of("password is one of the most common passwords: choose another"),
                    policy.problem(common),
                    common);
        }
    }

    @Test
    void shipsAFewHundredCommonPasswordsAllLongEnoughToMatter() {
        PasswordPolicy noList = new PasswordPolicy(Set.of());

        assertFalse(noList.problem("qwertyuiop").isPresent());
        assertTrue(policy.problem("qwertyuiop").isPresent());
        // the last entry of the list is refused too: the whole file was read
        assertTrue(policy.problem("superpuper").isPresent());
    }

    @Test
    void generatesReadablePasswordsThePolicyAccepts() {
        String a = policy.generate();
        String b = policy.generate();

        assertTrue(a.matches("([a-hj-km-np-z2-9]{4}-){4}[a-hj-km-np-z2-9]{4}"), a);
        assertTrue(a.length() >= 16);
        assertEquals(Optional.empty(), policy.problem(a));
        assertNotEquals(a, b);
    }
}
