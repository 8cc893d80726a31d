package io.connectorhub.core.internal;

import io.connectorhub.core.HubException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Tells the failures the hub expects while it runs (a peer that refuses or drops a connection, a host name that does
 * not resolve, a timeout, a {@link HubException} whose message names the culprit) from bugs, so that the log shows
 * an expected failure as one line and keeps the stack trace for a bug.
 */
public final class Failures {
    private static final int MAX_DEPTH = 16;

    private Failures() {}

    /** True if {@code t} or one of its causes is a {@link HubException}, an {@link IOException} or a timeout. */
    public static boolean expected(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < MAX_DEPTH; c = c.getCause()) {
            if (c instanceof HubException || c instanceof IOException || c instanceof TimeoutException) return true;
        }
        return false;
    }

    /** True if {@code t} or one of its causes is a timeout (of a connection, a read, a whole call or a wait). */
    public static boolean timedOut(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < MAX_DEPTH; c = c.getCause()) {
            if (c instanceof TimeoutException
                    || c instanceof InterruptedIOException
                    || c instanceof HttpTimeoutException) return true;
        }
        return false;
    }

    /**
     * {@code t} in one line: its message, then the type and message of its innermost cause when that adds something,
     * e.g. {@code calling http://127.0.0.1:9/v1/chat/completions failed: Failed to connect to /127.0.0.1:9
     * (ConnectException: Connection refused)}.
     */
    public static String describe(Throwable t) {
        Throwable root = t;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < MAX_DEPTH) root = root.getCause();
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (root != t) {
            String cause = root.getMessage();
            if (cause == null) message += " (" + root.getClass().getSimpleName() + ")";
            else if (!message.contains(cause)) message += " (" + root.getClass().getSimpleName() + ": " + cause + ")";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
