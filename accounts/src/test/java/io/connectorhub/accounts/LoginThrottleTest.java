package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final TestTime time = new TestTime();
    private final LoginThrottle throttle = LoginThrottle.withDefaults(time);

    @Test
    void locksAUsernameAfterFiveFailuresFromAnyAddressesForFifteenMinutes() {
        for (int i = 0; i < 4; i++) throttle.failed("10.0.0." + i, "alice");
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.9", "alice"));

        throttle.failed("10.0.0.4", "alice");

        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("10.0.0.9", "alice"));
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.9", "bob"));
    }

    @Test
    void usernamesAreCountedWhateverTheirCase() {
        throttle.failed("10.0.0.1", "Alice");
        throttle.failed("10.0.0.1", "ALICE");
        throttle.failed("10.0.0.1", "alice");
        throttle.failed("10.0.0.1", " alice ");
        throttle.failed("10.0.0.1", "aLiCe");

        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("10.0.0.2", "alice"));
    }

    @Test
    void locksAnAddressAfterTenFailuresWhateverTheUsernames() {
        for (int i = 0; i < 10; i++) throttle.failed("192.0.2.7", "user" + i);

        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("192.0.2.7", "someone-else"));
        assertEquals(Optional.empty(), throttle.retryAfter("192.0.2.8", "someone-else"));
    }

    @Test
    void retryAfterShrinksAsTheOldestFailureLeavesTheWindow() {
        throttle.failed("10.0.0.1", "alice");
        time.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 4; i++) throttle.failed("10.0.0.1", "alice");

        assertEquals(Optional.of(Duration.ofMinutes(10)), throttle.retryAfter("10.0.0.1", "alice"));

        time.advance(Duration.ofMinutes(10));
        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.1", "alice"));
        throttle.failed("10.0.0.1", "alice");
        assertEquals(Optional.of(Duration.ofMinutes(5)), throttle.retryAfter("10.0.0.1", "alice"));
    }

    @Test
    void theLongerOfTheTwoLockoutsApplies() {
        for (int i = 0; i < 10; i++) throttle.failed("10.0.0.1", "user" + i);
        time.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) throttle.failed("10.0.0.2", "alice");

        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("10.0.0.1", "alice"));
    }

    @Test
    void successForgetsTheUsernamesFailuresButNotTheAddresses() {
        for (int i = 0; i < 4; i++) throttle.failed("10.0.0.1", "alice");
        throttle.succeeded("ALICE");
        for (int i = 0; i < 4; i++) throttle.failed("10.0.0.1", "alice");

        assertEquals(Optional.empty(), throttle.retryAfter("10.0.0.3", "alice"));

        throttle.failed("10.0.0.1", "bob");
        throttle.failed("10.0.0.1", "bob");
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("10.0.0.1", "carol"));
    }

    @Test
    void keepsAtMostMaxKeysDroppingTheLeastRecentlySeen() {
        Throttle small = new Throttle(2, Duration.ofMinutes(15), 3, time);
        small.fail("a");
        small.fail("a");
        small.fail("b");
        small.fail("c");
        small.retryAfter("a"); // seen: b is now the least recently seen

        small.fail("d");

        assertEquals(Optional.of(Duration.ofMinutes(15)), small.retryAfter("a"));
        small.fail("c");
        assertEquals(Optional.of(Duration.ofMinutes(15)), small.retryAfter("c"));
        small.fail("b");
        assertEquals(Optional.empty(), small.retryAfter("b"));
    }
}
