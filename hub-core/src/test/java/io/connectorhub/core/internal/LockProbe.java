package io.connectorhub.core.internal;

import io.connectorhub.core.HubException;
import java.nio.file.Path;

/** Run as a separate process by the tests: tries to lock the data directory in {@code args[0]} and says how it went. */
public final class LockProbe {
    private LockProbe() {}

    public static void main(String[] args) {
        try (DataDirectory ignored = DataDirectory.lock(Path.of(args[0]))) {
            System.out.println("locked");
        } catch (HubException e) {
            System.out.println(e.getMessage());
        }
    }
}
