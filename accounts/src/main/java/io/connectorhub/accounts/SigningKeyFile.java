package io.connectorhub.accounts;

import io.connectorhub.core.HubException;
import io.connectorhub.core.internal.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The signing keys in a file (e.g. in the data directory), readable by its owner only (0600). A save writes a
 * temporary file beside it and renames it over the old one, so a crash never leaves half a key set. Thread-safe.
 */
public final class SigningKeyFile implements SigningKeyStore {
    private final Path file;

    public SigningKeyFile(Path file) {
        this.file = file;
    }

    @Override
    public Optional<String> load() {
        try {
            if (!Files.exists(file)) return Optional.empty();
            OwnerOnly.restrict(file);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new HubException("cannot read the access-token signing keys from " + file + ": " + e.getMessage()
                    + "; make the file readable by the hub's user");
        }
    }

    @Override
    public synchronized void save(String jwkSet) {
        Path parent = file.toAbsolutePath().getParent();
        Path temporary = parent.resolve(file.getFileName() + ".tmp");
        try {
            OwnerOnly.createDirectories(parent);
            Files.deleteIfExists(temporary);
            OwnerOnly.writeString(temporary, jwkSet);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HubException("cannot write the access-token signing keys to " + file + ": " + e.getMessage()
                    + "; make store.dataDir writable by the hub's user");
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
