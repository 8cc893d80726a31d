package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import io.connectorhub.core.Urls;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void networkErrorsTimeoutsAndHubExceptionsAreExpectedAndBugsAreNot() {
        assertTrue(Failures.expected(new ConnectException("Connection refused")));
        assertTrue(Failures.expected(new IllegalStateException("wrapped", new UnknownHostException("nowhere"))));
        assertTrue(Failures.expected(new UncheckedIOException(new SocketTimeoutException("Read timed out"))));
        assertTrue(Failures.expected(new TimeoutException()));
        assertTrue(Failures.expected(new HubException("channels.telegram.token is missing")));
        assertFalse(Failures.expected(new NullPointerException()));
        assertFalse(Failures.expected(new IllegalStateException("a bug", new IllegalArgumentException("deeper"))));
    }

    @Test
    void timeoutsAreToldApartFromOtherFailures() {
        assertTrue(Failures.timedOut(new HubException("gateway did not call back", new TimeoutException())));
        assertTrue(Failures.timedOut(new HubException("call failed", new InterruptedIOException("timeout"))));
        assertTrue(Failures.timedOut(new SocketTimeoutException("connect timed out")));
        assertFalse(Failures.timedOut(new HubException("call failed", new ConnectException("Connection refused"))));
    }

    @Test
    void describesAFailureInOneLineWithItsRootCause() {
        assertEquals(
                "calling http://127.0.0.1:9/v1 failed: Failed to connect (ConnectException: Connection refused)",
                Failures.describe(new HubException(
                        "calling http://127.0.0.1:9/v1 failed: Failed to connect",
                        new ConnectException("Connection refused"))));
        assertEquals(
                "read failed: Read timed out",
                Failures.describe(
                        new HubException("read failed: Read timed out", new SocketTimeoutException("Read timed out"))));
        assertEquals("first line second line", Failures.describe(new HubException("first line\n  second line")));
        assertEquals("TimeoutException", Failures.describe(new TimeoutException()));
    }

    @Test
    void urlsLoseUserInfoAndQuery() {
        assertEquals(
                "https://api.example.com/v1", Urls.withoutCredentials("https://user:pw@api.example.com/v1?key=secret"));
        assertEquals("http://127.0.0.1:8080/x", Urls.withoutCredentials("http://127.0.0.1:8080/x"));
        assertEquals("ftp://host/x", Urls.withoutCredentials("ftp://user:pw@host/x"));
    }
}
