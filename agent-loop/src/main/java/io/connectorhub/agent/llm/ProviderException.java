package io.connectorhub.agent.llm;

import io.connectorhub.core.HubException;

/**
 * A provider call that failed: an HTTP error status, a broken stream or an unreadable answer. Its message names
 * the agent, the URL and the status, never the API key. {@code retryable} for 429, 5xx and network errors before
 * anything was streamed; {@code retryAfterMillis} from a {@code Retry-After} header, or -1.
 */
public final class ProviderException extends HubException {
    private final int status;
    private final boolean retryable;
    private final long retryAfterMillis;

    public ProviderException(String message, int status, boolean retryable, long retryAfterMillis, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** The HTTP status, or 0 when there was none (network error, bad body). */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
