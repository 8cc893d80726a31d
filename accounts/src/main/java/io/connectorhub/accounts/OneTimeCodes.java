package io.connectorhub.accounts;

import io.connectorhub.accounts.internal.RandomText;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Short codes a person types or sends to a bot (link codes, invites): {@value #LENGTH} characters from an alphabet
 * without look-alikes ({@value #ALPHABET}, about 40 bits), valid until they expire and for one use, stored as hashes.
 * Lower case, spaces and dashes are accepted when one is typed back. Wrong codes count against the one who sent them
 * in a {@link Throttle}, the same mechanism as failed sign-ins. Thread-safe if the store is. Codes are secret until
 * used: {@link Issued#toString()} hides them.
 */
public final class OneTimeCodes {
    public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public static final int LENGTH = 8;

    /** A new code, shown once to the one who asked for it. */
    public record Issued(String code, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[code=(secret), expiresAt=" + expiresAt + "]";
        }
    }

    /** The outcome of a {@link #redeem}. */
    public sealed interface Redemption {
        /** The code was right and is now used up; {@code subject} is what it stood for. */
        record Redeemed(String subject) implements Redemption {}

        /** Wrong, expired, already used or for another purpose; counted against the sender. */
        record Refused() implements Redemption {}

        /** The sender sent too many wrong codes: nothing was looked at; retry after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Redemption {}
    }

    private final OneTimeCodeStore store;
    private final Throttle wrongCodes;
    private final InstantSource clock;
    private final RandomText random = new RandomText(new SecureRandom(), ALPHABET);

    public OneTimeCodes(OneTimeCodeStore store, Throttle wrongCodes, InstantSource clock) {
        this.store = store;
        this.wrongCodes = wrongCodes;
        this.clock = clock;
    }

    /** A new code for {@code purpose} standing for {@code subject}, valid for {@code ttl}. */
    public Issued issue(String purpose, String subject, Duration ttl) {
        String code = random.next(LENGTH);
        Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS); // as stored
        store.add(new StoredCode(hash(purpose, code), purpose, subject, expiresAt));
        return new Issued(code, expiresAt);
    }

    /** Uses up {@code typed} for {@code purpose}, sent by {@code sender} (an IP, a chat account); see {@link Redemption}. */
    public Redemption redeem(String purpose, String typed, String sender) {
        var locked = wrongCodes.retryAfter(sender);
        if (locked.isPresent()) return new Redemption.Throttled(locked.get());
        String code = normalize(typed);
        StoredCode stored =
                code == null ? null : store.take(hash(purpose, code)).orElse(null);
        if (stored == null || !stored.expiresAt().isAfter(clock.instant())) {
            wrongCodes.fail(sender);
            return new Redemption.Refused();
        }
        return new Redemption.Redeemed(stored.subject());
    }

    /** The code as issued (upper case, no spaces or dashes), or null if it cannot be one. */
    private static String normalize(String typed) {
        if (typed == null) return null;
        String code = typed.replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH) return null;
        for (int i = 0; i < code.length(); i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) return null;
        }
        return code;
    }

    private static String hash(String purpose, String code) {
        return Hashes.sha256(purpose + ":" + code);
    }
}
