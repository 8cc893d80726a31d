package io.connectorhub.accounts;

import java.util.Optional;

/** Where one-time codes wait to be used (the database, or memory in tests). Thread-safe. */
public interface OneTimeCodeStore {
    void add(StoredCode code);

    /** Removes and returns the code whose hash is {@code hash}, atomically: of two callers at once, one gets it. */
    Optional<StoredCode> take(String hash);
}
