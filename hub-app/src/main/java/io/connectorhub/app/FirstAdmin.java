package io.connectorhub.app;

import io.connectorhub.core.Service;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Creates the first admin on its own thread, beside the rest of the start-up: hashing its password with Argon2id is the
 * slowest step of a first start. As a service, {@link #start()} waits for it and throws what it threw, so the hub is
 * ready only once the user is stored, as before; {@link #close()} waits for it too, so it never writes to a closed
 * store.
 */
final class FirstAdmin implements Service {
    private final CompletableFuture<Void> created;

    private FirstAdmin(CompletableFuture<Void> created) {
        this.created = created;
    }

    /** Starts {@code create} (which creates the user if there is none) on a new thread and returns at once. */
    static FirstAdmin begin(Runnable create) {
        CompletableFuture<Void> created = new CompletableFuture<>();
        Thread.ofPlatform().name("first-admin").daemon().start(() -> {
            try {
                create.run();
                created.complete(null);
            } catch (Throwable e) {
                created.completeExceptionally(e);
            }
        });
        return new FirstAdmin(created);
    }

    /** Waits until the first admin is stored (or was there already); throws what creating it threw. */
    @Override
    public void start() throws Exception {
        try {
            created.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            created.join();
        } catch (CompletionException e) {
            // start() reported it, or the start failed before and this is the clean-up
        }
    }
}
