package io.connectorhub.accounts;

import java.time.Duration;

/**
 * A request the accounts refuse: answered with {@code status} and {@code {"error": message}} (and {@code Retry-After}
 * when {@code retryAfter} is set). The message is for the caller and holds no secret.
 */
public final class AccountError extends RuntimeException {
    private final int status;
    private final Duration retryAfter;

    public AccountError(int status, String message) {
        this(status, message, null);
    }

    public AccountError(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** How long the caller should wait before trying again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
