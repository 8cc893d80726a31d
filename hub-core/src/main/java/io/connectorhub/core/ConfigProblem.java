package io.connectorhub.core;

/**
 * One thing wrong with a configuration: where ({@code channels.telegram.token}) and what to do about it. It quotes no
 * text from the file (which may hold secrets), so it is safe to print and log.
 */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
