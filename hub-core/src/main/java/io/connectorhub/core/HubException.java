package io.connectorhub.core;

/** The hub's one unchecked exception: the message names the culprit and, where there is one, the fix. */
public class HubException extends RuntimeException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
