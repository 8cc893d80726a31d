package io.connectorhub.accounts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One-time codes in memory, with the semantics the database store must have. Thread-safe. */
final class InMemoryCodeStore implements OneTimeCodeStore {
    private final Map<String, StoredCode> codes = new ConcurrentHashMap<>();

    @Override
    public void add(StoredCode code) {
        codes.put(code.hash(), code);
    }

    @Override
    public Optional<StoredCode> take(String hash) {
        return Optional.ofNullable(codes.remove(hash));
    }

    Collection<StoredCode> all() {
        return List.copyOf(codes.values());
    }
}
