package io.connectorhub.accounts;

import io.connectorhub.accounts.internal.Argon2Phc;
import io.connectorhub.core.HubException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hashes and checks passwords with Argon2id, stored as PHC strings that carry their own cost. At most {@code permits}
 * hashes run at once (a hash costs a core and {@link Argon2Cost#memoryKib()} of memory); a caller waits at most
 * {@code maxWait} for a permit and is then told the hashing is busy, so a burst of sign-ins cannot exhaust the CPU or
 * the heap. Thread-safe. Passwords are secret: never kept, logged or put into an exception.
 */
public final class Passwords {
    /** The outcome of a check. */
    public enum Check {
        MATCH,
        MISMATCH,
        /** No hashing permit came within the wait: nothing was checked; the caller answers "busy, retry". */
        BUSY
    }

    /** Thrown by {@link #hash} when no hashing permit came within the wait; the caller answers "busy, retry". */
    public static final class BusyException extends HubException {
        BusyException() {
            super("password hashing is busy: retry in a moment");
        }
    }

    /** How long a caller waits for a hashing permit by default. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(2);

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Cost cost;
    private final Semaphore permits;
    private final Duration maxWait;
    private final SecureRandom random = new SecureRandom();
    /** What an unknown user's password is checked against: a hash of no known password, at the current cost. */
    private final String unknownUser;

    /** OWASP's cost, one permit per core, {@link #DEFAULT_MAX_WAIT}. */
    public static Passwords standard() {
        return new Passwords(Argon2Cost.OWASP, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_WAIT);
    }

    public Passwords(Argon2Cost cost, int permits, Duration maxWait) {
        this(cost, new Semaphore(permits, true), maxWait);
        if (permits < 1) throw new IllegalArgumentException("password hashing needs at least one permit");
    }

    /** With the permits given, which a test may hold. */
    Passwords(Argon2Cost cost, Semaphore permits, Duration maxWait) {
        this.cost = cost;
        this.permits = permits;
        this.maxWait = maxWait;
        // Random bytes, not the hash of anything: checking a password against them costs what a real check costs.
        this.unknownUser = Argon2Phc.encode(cost, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
    }

    /**
     * The PHC string of {@code password} with a new random salt, at this instance's cost. Throws {@link
     * BusyException} when no permit came in time. Check the {@link PasswordPolicy} first.
     */
    public String hash(String password) {
        if (tooLong(password)) {
            throw new IllegalArgumentException(
                    "password is longer than " + PasswordPolicy.MAX_LENGTH + " characters: check the policy first");
        }
        byte[] salt = randomBytes(SALT_BYTES);
        byte[] hash = withPermit(() -> Argon2Phc.compute(utf8(password), cost, salt, HASH_BYTES));
        if (hash == null) throw new BusyException();
        return Argon2Phc.encode(cost, salt, hash);
    }

    /**
     * Whether {@code password} is the one {@code stored} (a PHC string from {@link #hash}, of any cost) was made of,
     * compared in constant time. A password longer than {@link PasswordPolicy#MAX_LENGTH} never matches and is not
     * hashed. Throws {@link HubException} if {@code stored} is not an Argon2id PHC string.
     */
    public Check verify(String password, String stored) {
        Argon2Phc.Parsed parsed = Argon2Phc.parse(stored)
                .orElseThrow(() -> new HubException("a stored password hash is not an Argon2id PHC string"
                        + " ($argon2id$v=19$m=..,t=..,p=..$salt$hash): reset that user's password"));
        if (tooLong(password)) return Check.MISMATCH;
        byte[] computed =
                withPermit(() -> Argon2Phc.compute(utf8(password), parsed.cost(), parsed.salt(), parsed.hash().length));
        if (computed == null) return Check.BUSY;
        return MessageDigest.isEqual(computed, parsed.hash()) ? Check.MATCH : Check.MISMATCH;
    }

    /**
     * What to check when the username is unknown: the same work as {@link #verify} at the current cost, and never a
     * match, so that an unknown username takes as long as a wrong password ({@code MISMATCH} or {@code BUSY}).
     */
    public Check verifyUnknownUser(String password) {
        return verify(password, unknownUser) == Check.BUSY ? Check.BUSY : Check.MISMATCH;
    }

    /**
     * Whether {@code stored} was made at another cost than this instance's (or is no PHC string of ours): after a
     * {@code MATCH}, hash the password again and store that.
     */
    public boolean needsRehash(String stored) {
        return Argon2Phc.parse(stored)
                .map(p -> !p.cost().equals(cost) || p.hash().length != HASH_BYTES || p.salt().length != SALT_BYTES)
                .orElse(true);
    }

    /** The result of {@code work} run under a permit, or null if none came within the wait. */
    private byte[] withPermit(Supplier<byte[]> work) {
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    private static boolean tooLong(String password) {
        return password.length() > PasswordPolicy.MAX_LENGTH
                && password.codePointCount(0, password.length()) > PasswordPolicy.MAX_LENGTH;
    }

    private static byte[] utf8(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
