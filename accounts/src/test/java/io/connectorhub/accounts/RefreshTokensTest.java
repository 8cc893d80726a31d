package io.connectorhub.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefreshTokensTest {
    private final TestTime time = new TestTime();
    private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
    private final RefreshTokens refresh = new RefreshTokens(store, Duration.ofDays(7), time);

    @Test
    void tokenIs256RandomBitsInBase64urlAndOnlyItsHashIsStored() {
        RefreshTokens.Issued issued = refresh.start("u1");

        assertEquals(32, Base64.getUrlDecoder().decode(issued.token()).length);
        assertTrue(issued.token().matches("[A-Za-z0-9_-]{43}"), issued.token());
        assertEquals(time.instant().plus(Duration.ofDays(7)), issued.expiresAt());
        RefreshToken stored = store.all().iterator().next();
        assertNotEquals(issued.token(), stored.hash());
        assertFalse(stored.toString().contains(issued.token()));
        assertFalse(issued.toString().contains(issued.token()));
    }

    @Test
    void refreshReturnsANewTokenOfTheSameFamilyAndTheOldOneIsUsedUp() {
        RefreshTokens.Issued first = refresh.start("u1");

        var rotated = assertInstanceOf(RefreshTokens.Outcome.Rotated.class, refresh.refresh(first.token()));

        assertNotEquals(first.token(), rotated.next().token());
        assertEquals(first.familyId(), rotated.next().familyId());
        assertEquals("u1", rotated.next().userId());
        assertInstanceOf(
                RefreshTokens.Outcome.Rotated.class,
                refresh.refresh(rotated.next().token()));
    }

    @Test
    void eachRefreshStartsTheLifetimeAnew() {
        RefreshTokens.Issued first = refresh.start("u1");
        time.advance(Duration.ofDays(6));

        var rotated = assertInstanceOf(RefreshTokens.Outcome.Rotated.class, refresh.refresh(first.token()));

        assertEquals(time.instant().plus(Duration.ofDays(7)), rotated.next().expiresAt());
    }

    @Test
    void presentingAUsedTokenRevokesTheWholeFamily() {
        RefreshTokens.Issued stolen = refresh.start("u1");
        RefreshTokens.Issued other = refresh.start("u1");
        var rotated = (RefreshTokens.Outcome.Rotated) refresh.refresh(stolen.token());

        try (LogCapture logs = new LogCapture()) {
            assertEquals(new RefreshTokens.Outcome.Reused("u1", stolen.familyId()), refresh.refresh(stolen.token()));

            assertTrue(logs.warningsAndStackTraces().stream().anyMatch(line -> line.contains(stolen.familyId())));
            assertTrue(logs.messages().stream().noneMatch(line -> line.contains(stolen.token())));
        }
        assertInstanceOf(
                RefreshTokens.Outcome.Refused.class,
                refresh.refresh(rotated.next().token()));
        assertInstanceOf(RefreshTokens.Outcome.Rotated.class, refresh.refresh(other.token()));
    }

    @Test
    void expiredTokenIsRefusedAndNotUsedUp() {
        RefreshTokens.Issued issued = refresh.start("u1");
        time.advance(Duration.ofDays(7));

        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh(issued.token()));
        assertEquals(null, store.all().iterator().next().usedAt());
    }

    @Test
    void unknownTokenIsRefused() {
        refresh.start("u1");

        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh("not-a-token"));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh(""));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh(null));
    }

    @Test
    void signingOutRevokesTheFamilyOfTheToken() {
        RefreshTokens.Issued issued = refresh.start("u1");
        var rotated = (RefreshTokens.Outcome.Rotated) refresh.refresh(issued.token());

        assertTrue(refresh.revoke(rotated.next().token()));

        assertInstanceOf(
                RefreshTokens.Outcome.Refused.class,
                refresh.refresh(rotated.next().token()));
        assertFalse(refresh.revoke("not-a-token"));
    }

    @Test
    void revokingAllButOneSessionKeepsThatOne() {
        RefreshTokens.Issued current = refresh.start("u1");
        RefreshTokens.Issued elsewhere = refresh.start("u1");
        RefreshTokens.Issued otherUser = refresh.start("u2");

        refresh.revokeAllOf("u1", current.familyId());

        assertInstanceOf(RefreshTokens.Outcome.Rotated.class, refresh.refresh(current.token()));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh(elsewhere.token()));
        assertInstanceOf(RefreshTokens.Outcome.Rotated.class, refresh.refresh(otherUser.token()));
    }

    @Test
    void revokingASessionRefusesItsToken() {
        RefreshTokens.Issued issued = refresh.start("u1");

        refresh.revokeFamily(issued.familyId());

        assertInstanceOf(RefreshTokens.Outcome.Refused.class, refresh.refresh(issued.token()));
    }

    @Test
    void aTokenExchangedByAnotherCallerAtTheSameMomentCountsAsReuse() {
        // The other caller marks the token used between this one's lookup and its own marking.
        RefreshTokenStore racing = new RefreshTokenStore() {
            @Override
            public void add(RefreshToken token) {
                store.add(token);
            }

            @Override
            public Optional<RefreshToken> find(String hash) {
                Optional<RefreshToken> found = store.find(hash);
                store.markUsed(hash, time.instant());
                return found;
            }

            @Override
            public boolean markUsed(String hash, Instant at) {
                return store.markUsed(hash, at);
            }

            @Override
            public void revokeFamily(String familyId, Instant at) {
                store.revokeFamily(familyId, at);
            }

            @Override
            public void revokeFamiliesOf(String userId, String keepFamilyId, Instant at) {
                store.revokeFamiliesOf(userId, keepFamilyId, at);
            }
        };
        RefreshTokens.Issued issued = refresh.start("u1");

        assertInstanceOf(
                RefreshTokens.Outcome.Reused.class,
                new RefreshTokens(racing, Duration.ofDays(7), time).refresh(issued.token()));
        assertTrue(store.find(Hashes.sha256(issued.token())).orElseThrow().familyRevokedAt() != null);
    }
}
