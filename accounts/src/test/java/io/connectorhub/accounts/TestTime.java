package io.connectorhub.accounts;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** Time the test moves by hand. Thread-safe. */
final class TestTime implements InstantSource {
    private volatile Instant now = Instant.parse("2026-03-01T12:00:00Z");

    void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
