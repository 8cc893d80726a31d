package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OneTimeCodesTest {
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private final TestTime time = new TestTime();
    private final InMemoryCodeStore store = new InMemoryCodeStore();
    private final OneTimeCodes codes =
            new OneTimeCodes(store, new Throttle(5, Duration.ofMinutes(15), 1000, time), time);

    @Test
    void codesAreEightCharactersWithoutLookAlikes() {
        OneTimeCodes.Issued a = codes.issue("link", "u1", TEN_MINUTES);
        OneTimeCodes.Issued b = codes.issue("link", "u1", TEN_MINUTES);

        assertTrue(a.code().matches("[A-HJKMNP-Z2-9]{8}"), a.code());
        assertNotEquals(a.code(), b.code());
        assertEquals(time.instant().plus(TEN_MINUTES), a.expiresAt());
    }

    @Test
    void aCodeWorksOnceForWhatItStandsFor() {
        OneTimeCodes.Issued issued = codes.issue("link", "u1", TEN_MINUTES);

        assertEquals(new OneTimeCodes.Redemption.Redeemed("u1"), codes.redeem("link", issued.code(), "telegram:42"));
        assertInstanceOf(OneTimeCodes.Redemption.Refused.class, codes.redeem("link", issued.code(), "telegram:42"));
    }

    @Test
    void acceptsTheCodeTypedInLowerCaseWithSpacesOrDashes() {
        String code = codes.issue("link", "u1", TEN_MINUTES).code();
        String typed = " " + code.substring(0, 4).toLowerCase(Locale.ROOT) + "-" + code.substring(4) + " ";

        assertEquals(new OneTimeCodes.Redemption.Redeemed("u1"), codes.redeem("link", typed, "telegram:42"));
    }

    @Test
    void anExpiredCodeIsRefused() {
        String code = codes.issue("link", "u1", TEN_MINUTES).code();
        time.advance(TEN_MINUTES);

        assertInstanceOf(OneTimeCodes.Redemption.Refused.class, codes.redeem("link", code, "telegram:42"));
    }

    @Test
    void aCodeForOnePurposeDoesNotServeAnother() {
        String invite = codes.issue("invite", "u1", TEN_MINUTES).code();

        assertInstanceOf(OneTimeCodes.Redemption.Refused.class, codes.redeem("link", invite, "telegram:42"));
        assertEquals(new OneTimeCodes.Redemption.Redeemed("u1"), codes.redeem("invite", invite, "192.0.2.1"));
    }

    @Test
    void onlyAHashOfTheCodeIsStored() {
        String code = codes.issue("link", "u1", TEN_MINUTES).code();

        StoredCode stored = store.all().iterator().next();
        assertFalse(stored.toString().contains(code));
        assertEquals("link", stored.purpose());
        assertEquals("u1", stored.subject());
        assertFalse(codes.issue("link", "u1", TEN_MINUTES).toString().contains(code));
    }

    @Test
    void wrongCodesAreThrottledPerSenderAndThenEvenARightOneWaits() {
        String code = codes.issue("link", "u1", TEN_MINUTES).code();
        for (String wrong : new String[] {"AAAAAAAA", "BBBBBBBB", "short", "00000000", null}) {
            assertInstanceOf(OneTimeCodes.Redemption.Refused.class, codes.redeem("link", wrong, "telegram:42"));
        }

        assertEquals(
                new OneTimeCodes.Redemption.Throttled(Duration.ofMinutes(15)),
                codes.redeem("link", code, "telegram:42"));
        assertEquals(new OneTimeCodes.Redemption.Redeemed("u1"), codes.redeem("link", code, "telegram:43"));
    }
}
